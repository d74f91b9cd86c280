namespace Weir.FaultTests;

/// <summary>One private PostgreSQL cluster for the whole fault suite (scenarios use their own pools and deployments): never <c>WEIR_TEST_POSTGRES</c>, as the outage scenarios halt it.</summary>
public sealed class PostgresFixture : Weir.Testing.PostgresFixture
{
    protected override bool AcceptsExternal => false;
}
