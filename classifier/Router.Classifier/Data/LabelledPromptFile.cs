using System.Text;

namespace Router.Classifier.Data;

/// <summary>
/// Reads and writes the labelled-prompt format: one <c>message&lt;TAB&gt;category</c> per line, UTF-8.
/// Inside a message, <c>\n</c> is a newline, <c>\t</c> a tab, <c>\r</c> a carriage return and
/// <c>\\</c> a backslash; any other backslash stays as it is. Blank lines are skipped.
/// </summary>
public static class LabelledPromptFile
{
    /// <summary>Reads a labelled file; throws <see cref="FormatException"/> naming the line when one is malformed.</summary>
    public static IReadOnlyList<LabelledPrompt> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads labelled lines from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<LabelledPrompt> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var prompts = new List<LabelledPrompt>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var tab = line.LastIndexOf('\t');
            if (tab <= 0)
            {
                throw new FormatException($"{source}:{lineNumber}: expected 'message<TAB>category'.");
            }

            var category = line[(tab + 1)..].Trim();
            if (!PromptCategories.IsKnown(category))
            {
                throw new FormatException(
                    $"{source}:{lineNumber}: unknown category '{category}'; known: {string.Join(", ", PromptCategories.All)}.");
            }

            prompts.Add(new LabelledPrompt(Unescape(line[..tab]), category));
        }

        return prompts;
    }

    /// <summary>Writes prompts in the labelled format, escaping tabs, newlines and backslashes.</summary>
    public static void Write(string path, IEnumerable<LabelledPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        foreach (var prompt in prompts)
        {
            writer.Write(Escape(prompt.Message));
            writer.Write('\t');
            writer.WriteLine(prompt.Category);
        }
    }

    public static string Escape(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder(message.Length + 8);
        foreach (var c in message)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                '\t' => builder.Append(@"\t"),
                '\r' => builder.Append(@"\r"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    public static string Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!escaped.Contains('\\', StringComparison.Ordinal))
        {
            return escaped;
        }

        var builder = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == '\\' && i + 1 < escaped.Length)
            {
                var next = escaped[i + 1];
                char? decoded = next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '\\' => '\\', _ => null };
                if (decoded is { } d)
                {
                    builder.Append(d);
                    i++;
                    continue;
                }
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
