using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Classifier.Service.Diagnostics;

namespace Router.Classifier.Tests.Service;

[Collection(ClassifierServiceCollection.Name)]
public sealed class CompletionEndpointTests(ClassifierServiceFixture fixture)
{
    [Theory]
    [InlineData("Write a C# method that parses an ISO date", "code", "qwen2.5-coder")]
    [InlineData("What is the integral of 3x^2 from 0 to 2?", "math", "deepseek-r1")]
    [InlineData("hi, how was your weekend?", "conversation", "llama3.2")]
    public async Task Good_input_gets_model_category_confidence_and_scores(string message, string category, string model)
    {
        using var response = await fixture.Client.PostAsJsonAsync("/complete", new { message });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(category, root.GetProperty("category").GetString());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.InRange(root.GetProperty("confidence").GetDouble(), 0.5, 1.0);
        var scores = root.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(PromptCategories.All.Order(), scores.Keys.Order());
        Assert.Contains(root.GetProperty("tier").GetString(), new[] { ClassifierTiers.Ngrams, ClassifierTiers.NgramsAndEmbedding });
    }

    [Fact]
    public async Task Long_unicode_message_is_classified()
    {
        var message = string.Concat(Enumerable.Repeat("Résumé: 東京 🙂 — summarise the minutes of the meeting. ", 700));
        Assert.True(Encoding.UTF8.GetByteCount(message) > 32 * 1024);

        using var response = await fixture.Client.PostAsJsonAsync("/complete", new { message });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string?, string> BadBodies => new()
    {
        { "{\"message\": ", "application/json", "malformed JSON" },
        { "not json at all", "application/json", "not JSON" },
        { "[1, 2, 3]", "application/json", "JSON array" },
        { "{\"message\": 42}", "application/json", "number message" },
        { "{\"message\": \"hello\"}", "text/plain", "wrong content type" },
        { "{\"message\": \"hello\"}", null, "no content type" },
        { "{}", "application/json", "missing message" },
        { "{\"message\": null}", "application/json", "null message" },
        { "{\"message\": \"\"}", "application/json", "empty message" },
        { "{\"message\": \"  \\n\\t \"}", "application/json", "whitespace message" },
        { "", "application/json", "empty body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_400_with_a_problem_body(string body, string? contentType, string because)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await fixture.Client.PostAsync("/complete", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: got {(int)response.StatusCode}");
        await AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Oversize_body_gets_413_with_a_problem_body()
    {
        var message = new string('x', ClassifierServiceFixture.MaxBodyBytes + 1024);

        using var response = await fixture.Client.PostAsJsonAsync("/complete", new { message });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProblemAsync(response, 413);
    }

    [Fact]
    public async Task Health_reports_healthy()
    {
        using var response = await fixture.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Classifications_are_counted_by_category_and_timed()
    {
        var counted = new List<(long Value, string? Category)>();
        var timed = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClassifierInstruments.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "router.classifier.classifications")
            {
                lock (counted)
                {
                    counted.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "router.category").Value as string));
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "router.classifier.duration")
            {
                lock (timed)
                {
                    timed.Add(value);
                }
            }
        });
        listener.Start();

        using var response = await fixture.Client.PostAsJsonAsync("/complete", new { message = "Solve 2x + 3 = 9 for x" });
        response.EnsureSuccessStatusCode();
        listener.Dispose();

        lock (counted)
        {
            Assert.Contains(counted, c => c.Value == 1 && c.Category == PromptCategories.Math);
        }

        lock (timed)
        {
            Assert.NotEmpty(timed);
            Assert.All(timed, t => Assert.True(double.IsFinite(t) && t >= 0, $"duration {t}"));
        }
    }

    [Fact]
    public async Task Concurrent_requests_all_succeed_with_consistent_answers()
    {
        string[] messages = ["explain recursion", "write a haiku about snow", "what is 12% of 250", "good morning!"];
        var requests = Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await fixture.Client.PostAsJsonAsync("/complete", new { message = messages[i % messages.Length] });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (Index: i % messages.Length, Category: body.RootElement.GetProperty("category").GetString());
        });

        var results = await Task.WhenAll(requests);

        Assert.All(results.GroupBy(r => r.Index), g => Assert.Single(g.Select(r => r.Category).Distinct()));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
    }
}
