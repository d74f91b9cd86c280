using System.Text.Json.Nodes;

namespace Weir.Worker.Kubernetes;

/// <summary>A JSON number as a double, whatever the node holds (parsed JSON, or a value made from a long, an int or a decimal).</summary>
internal static class JsonNumbers
{
    public static double ToDouble(JsonNode node) =>
        node is JsonValue v && (v.TryGetValue<double>(out var d) || TryOther(v, out d)) ? d : throw new InvalidOperationException($"{node.ToJsonString()} is not a number.");

    private static bool TryOther(JsonValue v, out double value)
    {
        if (v.TryGetValue<long>(out var l))
        {
            value = l;
            return true;
        }

        if (v.TryGetValue<int>(out var i))
        {
            value = i;
            return true;
        }

        if (v.TryGetValue<decimal>(out var m))
        {
            value = (double)m;
            return true;
        }

        value = 0;
        return false;
    }
}
