using Router.Classifier.Service.Hosting;

var app = ClassifierServiceApp.Create(args);
await app.RunAsync();

/// <summary>Entry point; the wiring lives in <see cref="ClassifierServiceApp"/> so tests host the same service.</summary>
public partial class Program;
