using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gradscope.Record;

/// <summary>
/// Checks a JSON tree against the record type it is about to be read into, before the serializer sees it, so a bad
/// file is reported as "missing field network" or "field training.batchSize must be a whole number" rather than as
/// a null reference deep inside a reader. Property names follow <see cref="JsonDefaults"/> (camelCase); properties
/// the JSON leaves out keep their defaults unless they are <c>required</c>.
/// </summary>
public static class JsonShape
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the first field that cannot be read as <typeparamref name="T"/>.</summary>
    /// <param name="opaque">Types read by a converter of their own; only null is checked for them.</param>
    public static void Check<T>(JsonNode? node, params Type[] opaque) => Check(node, typeof(T), nullable: false, "", opaque);

    private static void Check(JsonNode? node, Type type, bool nullable, string path, Type[] opaque)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            type = inner;
            nullable = true;
        }
        if (node is null)
        {
            if (nullable) return;
            throw Error(path, type, "null");
        }
        if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object) || opaque.Contains(type)) return;
        var kind = node.GetValueKind();
        if (type == typeof(string))
        {
            if (kind != JsonValueKind.String) throw Error(path, type, kind);
        }
        else if (type == typeof(bool))
        {
            if (kind is not (JsonValueKind.True or JsonValueKind.False)) throw Error(path, type, kind);
        }
        else if (type == typeof(double) || type == typeof(float))
        {
            bool named = kind == JsonValueKind.String && node.GetValue<string>() is "NaN" or "Infinity" or "-Infinity";
            if (kind != JsonValueKind.Number && !named) throw Error(path, type, kind);
        }
        else if (IsInteger(type))
        {
            if (kind != JsonValueKind.Number || !FitsInteger(node.AsValue(), type)) throw Error(path, type, kind);
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            if (kind != JsonValueKind.String || !DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw Error(path, type, kind);
        }
        else if (type.IsEnum)
        {
            if (kind is not (JsonValueKind.String or JsonValueKind.Number)) throw Error(path, type, kind);
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            if (node is not JsonObject map) throw Error(path, type, kind);
            foreach (var (key, value) in map) Check(value, valueType, nullable: false, Join(path, key), opaque);
        }
        else if (ElementType(type) is { } elementType)
        {
            if (node is not JsonArray array) throw Error(path, type, kind);
            for (int i = 0; i < array.Count; i++) Check(array[i], elementType, nullable: false, $"{path}[{i}]", opaque);
        }
        else
        {
            if (node is not JsonObject obj) throw Error(path, type, kind);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetMethod is null || property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute))) continue;
                string name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                string where = Join(path, name);
                if (!obj.TryGetPropertyValue(name, out var value))
                {
                    if (property.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)))
                        throw new InvalidDataException($"missing field {where}");
                    continue;
                }
                bool maybeNull = Nullability.Create(property).ReadState == NullabilityState.Nullable;
                Check(value, property.PropertyType, maybeNull, where, opaque);
            }
        }
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(uint) || type == typeof(short) || type == typeof(byte);

    private static bool FitsInteger(JsonValue value, Type type) =>
        type == typeof(int) ? value.TryGetValue<int>(out _)
        : type == typeof(long) ? value.TryGetValue<long>(out _)
        : type == typeof(ulong) ? value.TryGetValue<ulong>(out _)
        : type == typeof(uint) ? value.TryGetValue<uint>(out _)
        : type == typeof(short) ? value.TryGetValue<short>(out _)
        : value.TryGetValue<byte>(out _);

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)
            ? type.GetGenericArguments()[1]
            : null;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static InvalidDataException Error(string path, Type type, JsonValueKind kind) =>
        Error(path, type, kind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        });

    private static InvalidDataException Error(string path, Type type, string found)
    {
        string expected =
            type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(double) || type == typeof(float) ? "a number"
            : type == typeof(int) || type == typeof(short) ? "a whole number in the int32 range"
            : IsInteger(type) ? "a whole number in range"
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "a date and time"
            : type.IsEnum ? "a name"
            : DictionaryValueType(type) is not null ? "an object"
            : ElementType(type) is not null ? "an array"
            : "an object";
        string field = path.Length == 0 ? "the file" : $"field {path}";
        return new InvalidDataException($"{field} must be {expected}, not {found}");
    }
}
