using Router.OllamaSimulator.Hosting;

// Composition only: the same wiring is used in-process by OllamaSimulator.StartAsync.
await SimulatorApp.Build(args).RunAsync();
