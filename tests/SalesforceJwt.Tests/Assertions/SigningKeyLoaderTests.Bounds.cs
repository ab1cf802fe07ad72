using System.Diagnostics;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Assertions;

/// <summary>Key and certificate files are read only when they are regular, non-empty files of at most 1 MiB.</summary>
public sealed partial class SigningKeyLoaderTests
{
    [Theory]
    [InlineData(nameof(SalesforceJwtOptions.PrivateKeyPath))]
    [InlineData(nameof(SalesforceJwtOptions.CertificatePath))]
    public void Load_DeviceFile_IsRefusedWithoutReadingIt(string option)
    {
        Assert.SkipUnless(File.Exists("/dev/zero"), "needs /dev/zero");
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(WithFile(option, "/dev/zero")));

        Assert.Equal(option, ex.OptionName);
        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Fifo_IsRefusedInsteadOfBlocking()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "FIFOs are a Unix thing");
        var fifo = Path.Combine(_dir.Path, "key.pem");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(WithFile(nameof(SalesforceJwtOptions.PrivateKeyPath), fifo)));

        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(SalesforceJwtOptions.PrivateKeyPath))]
    [InlineData(nameof(SalesforceJwtOptions.CertificatePath))]
    public void Load_FileOverOneMebibyte_IsRefused(string option)
    {
        var path = TestKeys.WriteTemp(_dir, "huge.pem", new byte[KeyFile.MaxBytes + 1]);

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(WithFile(option, path)));

        Assert.Equal(option, ex.OptionName);
        Assert.Contains("1024 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_SaysSo()
    {
        var path = TestKeys.WriteTemp(_dir, "empty.pem", []);

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(WithFile(nameof(SalesforceJwtOptions.PrivateKeyPath), path)));

        Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
    }

    private SalesforceJwtOptions WithFile(string option, string path) => Options(o =>
    {
        if (option == nameof(SalesforceJwtOptions.PrivateKeyPath))
        {
            o.PrivateKeyPath = path;
        }
        else
        {
            o.PrivateKeyPath = TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportRSAPrivateKeyPem());
            o.CertificatePath = path;
        }
    });
}
