namespace Router.Grains.Generation;

/// <summary>
/// Makes cancellation reach a streaming response body. Once headers are in, HttpClient only watches
/// the token passed to each read, and OllamaSharp reads its NDJSON lines without one; so a
/// cancelled generation would wait for the next token (or forever, if the backend stalls). Disposing
/// the response on cancellation closes the connection at once, which is also what tells Ollama to
/// stop generating.
/// </summary>
public sealed class AbortOnCancelHandler : DelegatingHandler
{
    public AbortOnCancelHandler()
    {
    }

    public AbortOnCancelHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
            response.Content = new RegistrationOwningContent(response.Content, registration);
        }

        return response;
    }

    /// <summary>Passes the body through and drops the cancellation registration with it.</summary>
    private sealed class RegistrationOwningContent : HttpContent
    {
        private readonly HttpContent _inner;
        private CancellationTokenRegistration _registration;

        public RegistrationOwningContent(HttpContent inner, CancellationTokenRegistration registration)
        {
            _inner = inner;
            _registration = registration;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(stream, cancellationToken);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => _inner.ReadAsStream(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _registration.Dispose();
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
