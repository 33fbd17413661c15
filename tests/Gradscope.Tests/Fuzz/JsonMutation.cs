using System.Text.Json.Nodes;
using CsCheck;

namespace Gradscope.Tests.Fuzz;

/// <summary>
/// Mutations of a JSON tree, as a hostile or careless hand would make them: a value replaced by one of another type
/// (null, a huge or fractional number, a string, a boolean, an empty array or object), a field removed, or the text
/// cut or sprinkled with bytes. A mutation is a list of (where, what) draws applied to a copy.
/// </summary>
internal static class JsonMutation
{
    public static readonly Gen<(int Where, int What)[]> Edits = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 15]).Array[1, 4];

    public static readonly Gen<(int Where, int What)> TextEdit = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 9]);

    public static string Apply(string json, (int Where, int What)[] edits, (int Where, int What) text)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var (where, what) in edits)
        {
            var nodes = Walk(root).ToList();
            var (parent, key, index) = nodes[where % nodes.Count];
            JsonNode? value = Replacement(what);
            if (parent is JsonObject obj && key is not null)
            {
                if (what == 15) obj.Remove(key);
                else obj[key] = value;
            }
            else if (parent is JsonArray array && index < array.Count)
            {
                if (what == 15) array.RemoveAt(index);
                else array[index] = value;
            }
        }
        string result = root.ToJsonString();
        // One text edit in ten: cut the text, or insert a byte that breaks the syntax.
        return text.What switch
        {
            0 => result[..(text.Where % (result.Length + 1))],
            1 => result.Insert(text.Where % (result.Length + 1), "\u0001}"),
            _ => result,
        };
    }

    private static JsonNode? Replacement(int what) => what switch
    {
        0 => null,
        1 => JsonValue.Create(2147483647),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(1e308),
        4 => JsonValue.Create(0.5),
        5 => JsonValue.Create("x"),
        6 => JsonValue.Create(true),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => JsonValue.Create(0),
        10 => JsonValue.Create("NaN"),
        11 => JsonValue.Create(99999999999L),
        12 => new JsonArray(JsonValue.Create(1), null),
        13 => JsonValue.Create(""),
        _ => JsonValue.Create(5),
    };

    /// <summary>Every place a value sits: (its parent, its key in an object or its index in an array).</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Walk(JsonNode node)
    {
        if (node is JsonObject obj)
            foreach (var (key, child) in obj.ToList())
            {
                yield return (obj, key, -1);
                if (child is not null) foreach (var inner in Walk(child)) yield return inner;
            }
        else if (node is JsonArray array)
            for (int i = 0; i < array.Count; i++)
            {
                yield return (array, null, i);
                if (array[i] is { } child) foreach (var inner in Walk(child)) yield return inner;
            }
    }
}
