using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Hosting;

/// <summary>Fails start-up with a message naming the bad setting instead of misbehaving on the first request.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (options.TimeToFirstTokenMs < 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.TimeToFirstTokenMs)} must be >= 0 (was {options.TimeToFirstTokenMs}).");
        }

        if (options.TokensPerSecond < 0 || double.IsNaN(options.TokensPerSecond))
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.TokensPerSecond)} must be >= 0 (was {options.TokensPerSecond}).");
        }

        if (options.ResponseTokens < 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.ResponseTokens)} must be >= 0 (was {options.ResponseTokens}).");
        }

        if (options.ThinkingTokens < 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.ThinkingTokens)} must be >= 0 (was {options.ThinkingTokens}).");
        }

        foreach (var (model, profile) in options.ModelProfiles)
        {
            if (profile.ContextLength is < 1)
            {
                failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.ModelProfiles)}:{model}:{nameof(profile.ContextLength)} must be >= 1 (was {profile.ContextLength}).");
            }

            if (profile.Capabilities?.FirstOrDefault(c => !ModelTraits.KnownCapabilities.Contains(c)) is { } unknown)
            {
                failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.ModelProfiles)}:{model}:{nameof(profile.Capabilities)} has an unknown capability '{unknown}' (known: {string.Join(", ", ModelTraits.KnownCapabilities)}).");
            }
        }

        if (options.JournalCapacity < 1)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.JournalCapacity)} must be >= 1 (was {options.JournalCapacity}).");
        }

        if (options.FailStatus is { } status and (< 400 or > 599))
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.FailStatus)} must be an error status, 400-599 (was {status}).");
        }

        if (options.Models.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.Models)} must not contain empty names.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
