#if NETSTANDARD2_0
namespace System.Diagnostics.CodeAnalysis;

/// <summary>Marks reflection-based overloads on .NET Standard as modern .NET's trimming analyzer does; no analyzer reads it there.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class, Inherited = false)]
internal sealed class RequiresUnreferencedCodeAttribute(string message) : Attribute
{
    public string Message { get; } = message;
}

/// <summary>Marks reflection-based overloads on .NET Standard as modern .NET's AOT analyzer does; no analyzer reads it there.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class, Inherited = false)]
internal sealed class RequiresDynamicCodeAttribute(string message) : Attribute
{
    public string Message { get; } = message;
}
#endif
