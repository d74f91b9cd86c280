namespace Weir.Storage.Ignore;

/// <summary>The <c>.weirignore</c> that <c>weir init</c> writes, and what a push excludes when a project has none.</summary>
public static class DefaultWeirIgnore
{
    /// <summary>The file's name.</summary>
    public const string FileName = ".weirignore";

    /// <summary>The default text: build output, tool folders, local secrets and dependency folders.</summary>
    public const string Text = """
        # Files that push_to_s3, push_to_azure_blob_storage and push_to_gcs leave out (gitignore syntax).
        # Build output
        bin/
        obj/
        artifacts/
        TestResults/
        *.trx
        # Version control and editors
        .git/
        .hg/
        .svn/
        .vs/
        .vscode/
        .idea/
        *.user
        *.suo
        *.swp
        .DS_Store
        Thumbs.db
        # Local secrets and settings
        .env
        .env.*
        !.env.example
        *.pfx
        # Dependencies and caches
        node_modules/
        .nuget/
        __pycache__/
        .weir/

        """;
}
