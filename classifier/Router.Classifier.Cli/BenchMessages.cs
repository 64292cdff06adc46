using System.Text;

namespace Router.Classifier.Cli;

/// <summary>Deterministic benchmark messages of a given size, mixing prose, code and an instruction.</summary>
internal static class BenchMessages
{
    private static readonly string[] Openers =
    [
        "Summarise the following text for me:\n",
        "Why does this code throw a NullReferenceException?\n```csharp\n",
        "hey, I had a long day and wanted to tell you about it. ",
        "A farmer has chickens and cows, and counted the heads and the legs. ",
        "Write a story that starts like this: ",
        "Explain how the following process works in nature: ",
    ];

    private const string Filler =
        "The committee reviewed the proposal in detail, noting that the budget for the second phase " +
        "had grown by eleven percent while the schedule slipped by three weeks. var total = items.Sum(i => i.Price); " +
        "Residents said the new bridge had changed their commute, and photographs from the opening show crowds " +
        "along the river. ¿Qué opinas? Ça dépend. 東京は大きい。 ";

    public static IReadOnlyList<string> OfSize(int bytes, int count = 6)
    {
        var messages = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var builder = new StringBuilder(Openers[i % Openers.Length]);
            while (Encoding.UTF8.GetByteCount(builder.ToString()) < bytes)
            {
                builder.Append(Filler);
            }

            var text = builder.ToString();
            while (Encoding.UTF8.GetByteCount(text) > bytes)
            {
                text = text[..^1];
            }

            messages.Add(text);
        }

        return messages;
    }
}
