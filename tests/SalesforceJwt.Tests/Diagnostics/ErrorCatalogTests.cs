using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Tests.Diagnostics;

public sealed class ErrorCatalogTests
{
    [Fact]
    public void Readme_TroubleshootingTable_HasARowForEveryCatalogueEntry()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var troubleshooting = readme[readme.IndexOf("## Troubleshooting", StringComparison.Ordinal)..];

        foreach (var entry in ErrorCatalog.TokenErrors)
        {
            var row = $"| `{entry.Code}` | `{entry.Error}` / `{entry.Description}` |";
            Assert.Contains(row, troubleshooting, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Find_MatchesDescriptionsWithoutRegardToCaseAndSpaces()
    {
        Assert.Equal(SalesforceErrorCode.UserNotApproved, ErrorCatalog.Find("invalid_grant", " User hasn't approved this consumer ")?.Code);
        Assert.Null(ErrorCatalog.Find("invalid_grant", "something new"));
        Assert.Equal(SalesforceErrorCode.AppNotFound, ErrorCatalog.Find("app_not_found", null)?.Code);
    }

    [Fact]
    public void EveryEntry_HasAHintThatSaysWhatToDo()
    {
        Assert.All(ErrorCatalog.TokenErrors, e => Assert.True(e.Hint.Length > 40, $"{e.Code}: hint too short"));
    }
}
