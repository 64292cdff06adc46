using System.Globalization;
using Router.Classifier.Conversations;
using Router.Classifier.Data;

namespace Router.Classifier.Cli;

/// <summary>
/// Fits <see cref="ConversationSwitch"/> on files written by <c>conversations --dump</c>, each read by a category model that
/// was not trained on its turns (so the confidences are those the rule meets on new conversations). Before writing the
/// switch fitted on every file it reports, for each file, the figures of a switch fitted on the other files alone.
/// Only the conversations whose second turn reads as another category than the first's are fitted on: the switch is
/// asked about no other.
/// </summary>
internal static class FitSwitchCommand
{
    public static int Run(CommandLine commandLine)
    {
        var dumps = commandLine.GetAll("dumps");
        if (dumps.Count == 0) throw new ArgumentException("--dumps is required.");
        var output = commandLine.Get("out") ?? "classifier/Router.Classifier/Model/model.switch.json";
        var moveAbove = commandLine.Get("move-above") is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : 0.6;
        var l2 = commandLine.Get("l2") is { } l ? double.Parse(l, CultureInfo.InvariantCulture) : 1;
        var files = dumps.Select(path => (Path: path, Rows: Read(path))).ToList();

        Console.WriteLine($"{"held out",-28} {"follow-ups stay",16} {"topic changes move",19}");
        int allFollowUps = 0, allStayed = 0, allChanges = 0, allMoved = 0;
        foreach (var (path, rows) in files)
        {
            var weights = Fit(files.Where(f => f.Path != path).SelectMany(f => f.Rows), l2);
            var (followUps, stayed, changes, moved) = Score(rows, new ConversationSwitch(weights, moveAbove));
            allFollowUps += followUps; allStayed += stayed; allChanges += changes; allMoved += moved;
            Console.WriteLine($"{Path.GetFileName(path),-28} {stayed,5}/{followUps,-4} {stayed / (double)followUps,6:P1} {moved,6}/{changes,-4} {moved / (double)changes,7:P1}");
        }

        Console.WriteLine($"{"all, each held out",-28} {allStayed,5}/{allFollowUps,-4} {allStayed / (double)allFollowUps,6:P1} {allMoved,6}/{allChanges,-4} {allMoved / (double)allChanges,7:P1}");
        var rule = new ConversationSwitch(Fit(files.SelectMany(f => f.Rows), l2), moveAbove);
        rule.Save(output);
        Console.WriteLine($"fitted on {files.Sum(f => f.Rows.Count(Asked))} conversations of {files.Count} files; wrote {output}");
        return 0;
    }

    private static bool Asked(Row row) => row.Reading.Category != row.FirstCategory;

    private static double[] Fit(IEnumerable<Row> rows, double l2)
    {
        var asked = rows.Where(Asked).ToList();
        return ConversationSwitchFit.Fit([.. asked.Select(r => r.Features)], [.. asked.Select(r => !r.IsFollowUp)], l2);
    }

    private static (int FollowUps, int Stayed, int Changes, int Moved) Score(IReadOnlyList<Row> rows, ConversationSwitch rule)
    {
        int followUps = 0, stayed = 0, changes = 0, moved = 0;
        foreach (var row in rows)
        {
            var category = Asked(row) && ConversationSwitch.Probability(rule.Weights, row.Features) >= rule.MoveAbove ? row.Reading.Category : row.FirstCategory;
            var right = category == row.Expected;
            if (row.IsFollowUp) { followUps++; stayed += right ? 1 : 0; }
            else { changes++; moved += right ? 1 : 0; }
        }

        return (followUps, stayed, changes, moved);
    }

    private static List<Row> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split('\t');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{path}: no column {name}");
        int followUp = Column("follow_up"), first = Column("first_category"), expected = Column("expected"), category = Column("category"),
            confidence = Column("confidence"), followUpP = Column("follow_up_p"), opener = Column("opener"), second = Column("second");
        var scoreColumns = PromptCategories.All.Select(c => (Category: c, Index: Column("p_" + c))).ToList();
        var rows = new List<Row>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            double Number(int column) => double.Parse(f[column], CultureInfo.InvariantCulture);
            var reading = new PromptClassification("", f[category], Number(confidence), scoreColumns.ToDictionary(s => s.Category, s => Number(s.Index)));
            var features = new double[ConversationSwitch.FeatureCount];
            ConversationSwitch.Features(LabelledPromptFile.Unescape(f[second]), f[first], reading, Number(followUpP), f[opener] == "1", features);
            rows.Add(new Row(f[followUp] == "1", f[first], f[expected], reading, features));
        }

        return rows;
    }

    private sealed record Row(bool IsFollowUp, string FirstCategory, string Expected, PromptClassification Reading, double[] Features);
}
