namespace Weir.Compiler.Tests;

/// <summary>A class of compiler tests: each test gets a fresh <see cref="CompilerFixture"/> (its own WEIR_HOME, compile cache and folder of flow files), removed after it.</summary>
public abstract class CompilerTest : IDisposable
{
    protected CompilerFixture Fixture { get; } = new();

    public void Dispose()
    {
        Fixture.Dispose();
        GC.SuppressFinalize(this);
    }
}
