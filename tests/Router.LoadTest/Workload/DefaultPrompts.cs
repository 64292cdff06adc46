namespace Router.LoadTest.Workload;

/// <summary>
/// Conversational and general-knowledge prompts: the kind a classifier sends to llama3.2, so a router
/// run exercises the streaming path rather than the one-message standard response.
/// </summary>
internal static class DefaultPrompts
{
    public static readonly IReadOnlyList<string> All =
    [
        "Hi! How are you doing today?",
        "Can you tell me a fun fact about octopuses?",
        "What's a good way to start learning to play the guitar?",
        "Explain why the sky is blue in simple terms.",
        "What is the capital of Australia, and why isn't it Sydney?",
        "Tell me a short story about a lighthouse keeper and a cat.",
        "How does photosynthesis work?",
        "What are some tips for sleeping better at night?",
        "Who was Ada Lovelace and why is she famous?",
        "I'm feeling a bit bored. Any ideas for a rainy afternoon?",
        "What is the difference between weather and climate?",
        "Can you recommend a few classic novels worth reading?",
        "How do vaccines train the immune system?",
        "What causes the seasons on Earth?",
        "Write a friendly message to congratulate a colleague on a promotion.",
        "Why do cats purr?",
        "What happened during the fall of the Roman Empire, briefly?",
        "How do airplanes stay in the air?",
        "Give me three ideas for a quick vegetarian dinner.",
        "What's the tallest mountain in the solar system?",
        "I feel nervous about my job interview tomorrow, any tips to calm down?",
        "Why do people keep diaries, and is it worth starting one?",
        "What are the main differences between frogs and toads?",
        "Good morning! What should I know about drinking enough water?",
        "Summarize the plot of Romeo and Juliet in a few sentences.",
        "How far away is the Moon, and how long does light take to get here?",
        "What is a black hole?",
        "Thanks for the help earlier! Can you suggest a board game for four people?",
        "Why do leaves change color in autumn?",
        "What are some good habits for staying focused while studying?",
        "How did the printing press change the world?",
        "Tell me a joke about penguins.",
    ];
}
