namespace Weir.Storage.Ignore;

/// <summary>
/// The POSIX classes a bracket may hold (<c>[[:alpha:]]</c>, …), with the meanings git gives them:
/// ASCII only and independent of the locale, so no byte of a multi-byte UTF-8 character is in any class.
/// </summary>
internal static class CharacterClass
{
    /// <summary>True or false for a known class name; null for an unknown one (git then matches nothing).</summary>
    public static bool? Contains(ReadOnlySpan<byte> name, byte c) => name switch
    {
        _ when name.SequenceEqual("alnum"u8) => IsAlpha(c) || IsDigit(c),
        _ when name.SequenceEqual("alpha"u8) => IsAlpha(c),
        _ when name.SequenceEqual("blank"u8) => c is (byte)' ' or (byte)'\t',
        _ when name.SequenceEqual("cntrl"u8) => c < 0x20 || c == 0x7f,
        _ when name.SequenceEqual("digit"u8) => IsDigit(c),
        _ when name.SequenceEqual("graph"u8) => c is > 0x20 and < 0x7f,
        _ when name.SequenceEqual("lower"u8) => c is >= (byte)'a' and <= (byte)'z',
        _ when name.SequenceEqual("print"u8) => c is >= 0x20 and < 0x7f,
        _ when name.SequenceEqual("punct"u8) => c is > 0x20 and < 0x7f && !IsAlpha(c) && !IsDigit(c),
        // git's own table: tab, line feed, carriage return and space (not vertical tab or form feed).
        _ when name.SequenceEqual("space"u8) => c is (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)' ',
        _ when name.SequenceEqual("upper"u8) => c is >= (byte)'A' and <= (byte)'Z',
        _ when name.SequenceEqual("xdigit"u8) => IsDigit(c) || c is >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F',
        _ => null,
    };

    private static bool IsAlpha(byte c) => c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
