namespace Router.Classifier.Data;

/// <summary>One line of a labelled file: a message and its category.</summary>
public sealed record LabelledPrompt(string Message, string Category);
