namespace SalesforceJwt.Sample;

/// <summary>What to set up in Salesforce and here before the sample can talk to a real org.</summary>
internal static class SetupHelp
{
    public static void Print(TextWriter output) => output.WriteLine("""
        To run the sample against a real org:

        1. Create a key and a self-signed certificate (keep server.key secret; never commit it):
             openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
               -keyout server.key -out server.crt -subj "/CN=salesforce-integration"

        2. In Salesforce Setup, create an External Client App (or a connected app) with OAuth enabled:
             - scopes: "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)"
             - tick "Enable JWT Bearer Flow" and upload server.crt
             - policies: "Admin approved users are pre-authorized", then assign the integration user's
               profile or a permission set to the app
             - copy the Consumer Key

        3. Tell the sample about it, with environment variables (or user secrets, or --Salesforce:Key=value):
             export Salesforce__ConsumerKey=<consumer key>
             export Salesforce__Username=<integration user's username, with any sandbox suffix>
             export Salesforce__LoginUrl=https://login.salesforce.com      # https://test.salesforce.com for a sandbox,
                                                                            # or your My Domain URL
             export Salesforce__PrivateKeyPath=$PWD/server.key

        4. Run it again:
             dotnet run --project samples/SalesforceJwt.Sample
        """);
}
