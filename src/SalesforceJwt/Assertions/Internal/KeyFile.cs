namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// Reads a key or certificate file with a bound: a regular, non-empty file of at most 1 MiB. A FIFO, a device such as
/// <c>/dev/zero</c> or a huge file gets a configuration error instead of a hang or an exhausted process.
/// </summary>
internal static class KeyFile
{
    /// <summary>Far above any PEM, PKCS#12 or certificate file (a few KiB), far below what could hurt.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static byte[] ReadAllBytes(string path, string option, string what)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw Error(path, option, what, "does not exist", null);
            }

            // Devices and FIFOs report no size; a real key file always has one. Checked before opening: opening a FIFO blocks.
            if (info.Length == 0)
            {
                throw Error(path, option, what, "is empty or is not a regular file (a device or pipe)", null);
            }

            if (info.Length > MaxBytes)
            {
                throw Error(path, option, what, $"is {info.Length:N0} bytes, more than the {MaxBytes / 1024} KiB any key or certificate file needs", null);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
            var buffer = new byte[Math.Min(info.Length + 1, MaxBytes + 1)];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            // The file may have grown since it was measured.
            if (length > MaxBytes)
            {
                throw Error(path, option, what, $"is more than the {MaxBytes / 1024} KiB any key or certificate file needs", null);
            }

            Array.Resize(ref buffer, length);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read ({ex.GetType().Name})";
            throw Error(path, option, what, reason, ex);
        }
    }

    private static SalesforceConfigurationException Error(string path, string option, string what, string reason, Exception? inner) =>
        new(option, $"The {what} file '{path}' set in {option} {reason}. Set {option} to the file that holds the connected app's " +
            (what == "key" ? "private key (PEM or PKCS#12)." : "certificate (PEM or DER)."), inner);
}
