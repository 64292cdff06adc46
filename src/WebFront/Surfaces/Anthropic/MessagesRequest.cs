using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>A <c>POST /v1/messages</c> (or <c>count_tokens</c>) body as the router carries it.</summary>
/// <param name="Model">The model the client named (an alias, a served model, or <c>auto</c>).</param>
/// <param name="Input">The whole conversation: the system prompt first, every message, the tools and the tool choice.</param>
/// <param name="RoutingText">
/// What the classifier routes on: the latest text of a user message (in a tool loop, the request that
/// started it, so the loop keeps its model), else the last tool result.
/// </param>
/// <param name="OmitThinking"><c>thinking.display: omitted</c>: thinking blocks are sent empty, with their signature.</param>
internal sealed record MessagesRequest(
    string Model,
    ModelInput Input,
    GenerationSettings Settings,
    string RoutingText,
    bool Stream,
    bool OmitThinking);
