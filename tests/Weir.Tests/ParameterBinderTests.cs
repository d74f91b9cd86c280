using System.Text.Json;
using Weir.Engine;

namespace Weir.Tests;

public sealed class ParameterBinderTests
{
    private static readonly FlowDefinition s_typed = Flows.Get("typed");

    private static IReadOnlyDictionary<string, object?> Bind(params string[] assignments) =>
        ParameterBinder.Bind(s_typed, assignments.Select(ParameterBinder.ParseAssignment));

    [Fact]
    public void Bind_WhenTextValuesGiven_ConvertsToDeclaredTypesAndFillsDefaults()
    {
        var values = Bind("limit=3", "ratio=1.25", "verbose=True", "ids=[1,2,3]", "day=friday", "when=2026-01-02T03:04:05Z");

        values["limit"].ShouldBe(3);
        values["name"].ShouldBe("x");
        values["ratio"].ShouldBe(1.25);
        values["verbose"].ShouldBe(true);
        values["ids"].ShouldBe(new[] { 1, 2, 3 });
        values["day"].ShouldBe(DayOfWeek.Friday);
        values["when"].ShouldBe(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    [Fact]
    public void Bind_WhenJsonGiven_TextOverridesJson()
    {
        using var json = JsonDocument.Parse("""{"limit": 7, "name": "from-json", "ids": [4]}""");
        var values = ParameterBinder.Bind(s_typed, [new("name", "from-text")], json.RootElement);

        values["limit"].ShouldBe(7);
        values["name"].ShouldBe("from-text");
        values["ids"].ShouldBe(new[] { 4 });
    }

    [Fact]
    public void Bind_WhenRequiredMissing_NamesItAndListsParameters()
    {
        var error = Should.Throw<ParameterBindingException>(() => Bind("name=y"));
        error.Message.ShouldBe("Missing required parameter 'limit' for flow 'typed'. Its parameters: limit (int, required), name (string, default \"x\"), ratio (double, default 0.5), verbose (bool, default false), ids (int[], default null), day (DayOfWeek, default Monday), when (DateTimeOffset?, default null).");
    }

    [Fact]
    public void Bind_WhenUnknown_NamesItAndSuggests()
    {
        var error = Should.Throw<ParameterBindingException>(() => Bind("limit=1", "Name=y"));
        error.Message.ShouldStartWith("Unknown parameter 'Name' for flow 'typed'. Did you mean 'name'? Its parameters: limit (int, required)");
    }

    [Fact]
    public void Bind_WhenValueDoesNotConvert_NamesParameterTypeAndValue()
    {
        var error = Should.Throw<ParameterBindingException>(() => Bind("limit=abc"));
        error.Message.ShouldStartWith("Parameter 'limit' of flow 'typed' expects int; 'abc' is not one.");
        Should.Throw<ParameterBindingException>(() => Bind("limit=1", "day=Caturday")).Message.ShouldStartWith("Parameter 'day' of flow 'typed' expects DayOfWeek;");
    }

    [Fact]
    public void Bind_WhenAJsonValueIsMalformed_SaysWhereItGoesWrong()
    {
        Should.Throw<ParameterBindingException>(() => Bind("limit=1", "ids=[1,2")).Message
            .ShouldStartWith("Parameter 'ids' of flow 'typed' expects int[]; '[1,2' is not valid JSON at character 5: it ends before the value is complete (is a closing ] or } missing?).");
        Should.Throw<ParameterBindingException>(() => Bind("limit=1", "ids=[1,,2]")).Message
            .ShouldStartWith("Parameter 'ids' of flow 'typed' expects int[]; '[1,,2]' is not valid JSON at character 4: ',' is an invalid start of a value.");
        Should.Throw<ParameterBindingException>(() => ParameterBinder.ParseJson("{\"limit\": 1,\n \"ids\": [1 2]}", "--params-json")).Message
            .ShouldBe("--params-json is not valid JSON at line 2, character 12: '2' is invalid after a value. Expected either ',', '}', or ']'.");
    }

    [Fact]
    public void ParseAssignment_WhenNoEquals_SaysHowToWriteIt()
    {
        Should.Throw<ParameterBindingException>(() => ParameterBinder.ParseAssignment("limit"))
            .Message.ShouldBe("'limit' is not a parameter assignment; write it as name=value, for example --param limit=3.");
    }

    [Fact]
    public async Task Run_WithBoundValues_PassesThemToTheMethod()
    {
        var values = Bind("limit=2", "ids=[5,6]");
        var result = await new FlowEngine(NullRunSink.Instance).RunAsync(s_typed, values);
        result.Value.ShouldBe("2|x|0.5|False|5,6|Monday|");
    }
}
