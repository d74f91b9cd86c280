namespace Weir.Compiler.Tests;

/// <summary>The blocks a flow file reads by a literal name, which <c>weir deploy</c> writes into a new deployment's <c>blocks:</c> list.</summary>
public sealed class BlockReadsTests
{
    [Fact]
    public void Find_SecretsAndBlocksReadByLiteralNames_InOrderEachOnce()
    {
        var reads = BlockReads.Find("""
            #:package Humanizer.Core@2.14.1
            using Weir;
            public static class Report
            {
                [Flow("report")]
                public static async Task Run(string other)
                {
                    var token = await Secret.GetAsync("api-token");
                    var aws = await Weir.Block.GetAsync<System.Text.Json.Nodes.JsonObject>("aws-credentials", "prod");
                    var again = await Secret.GetAsync("api-token", CancellationToken.None);
                    var unknown = await Secret.GetAsync(other);
                    var formatted = await Secret.GetAsync($"token-{other}");
                    var notABlock = await Variable.GetAsync("region");
                }
            }
            """);

        reads.ShouldBe(["api-token", "aws-credentials/prod"]);
    }
}
