namespace Router.Classifier.Service.Hosting;

/// <summary>HTTP-level settings of the classifier service, bound from <c>ClassifierService</c>.</summary>
public sealed class ClassifierServiceOptions
{
    public const string SectionName = "ClassifierService";

    /// <summary>Where the service listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    /// <summary>Largest accepted request body; larger bodies get 413. Generous so pasted documents of 32 KiB and more fit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
