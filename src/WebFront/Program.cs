using Router.WebFront.Hosting;

var app = RouterWebApplication.Create(args);
await app.RunAsync();

/// <summary>Entry point of the web front.</summary>
public partial class Program;
