using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Router.Classifier;

/// <summary>Registers the in-process prompt classifier.</summary>
public static class ClassifierServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ClassifierModelOptions"/>, validates them at start-up and registers
    /// <see cref="IPromptCategoryModel"/> as a singleton. <paramref name="classifierSection"/> is either the
    /// <c>Classifier</c> section itself or a configuration root, whose <c>Classifier</c> section is used.
    /// </summary>
    public static IServiceCollection AddPromptCategoryModel(this IServiceCollection services, IConfiguration classifierSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(classifierSection);
        var section = classifierSection is IConfigurationSection
            ? classifierSection
            : classifierSection.GetSection(ClassifierModelOptions.SectionName);

        services.AddOptionsWithValidateOnStart<ClassifierModelOptions>().Bind(section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClassifierModelOptions>, ClassifierModelOptionsValidator>());
        services.TryAddSingleton(sp => PromptCategoryModelFactory.Create(
            sp.GetRequiredService<IOptions<ClassifierModelOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(PromptCategoryModel).FullName!)));
        services.TryAddSingleton<IPromptCategoryModel>(sp => sp.GetRequiredService<PromptCategoryModel>());
        return services;
    }
}
