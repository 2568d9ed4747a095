// What a saved session file needs beside the browser state: where it is (resolved like every
// PowerShell path, its folder created owner-only) and whose it is. The account, marketplace and
// site are kept in a small side file "<file>.account" (JSON, owner-only) so that
// "Connect-AlexaAccount -SessionPath <file>" alone is enough; the state file itself is untouched.
using System;
using System.IO;
using System.Management.Automation;
using System.Text.Json;

namespace AlexaPrivacy.Execution
{
    internal sealed class SessionFileAccount
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        public string BaseUri { get; set; }
    }

    internal static class SessionFile
    {
        public const string AccountSuffix = ".account";

        /// <summary>
        /// The full path of a -SessionPath (or SessionPath column) as PowerShell resolves any path:
        /// relative to $PWD, ~ expanded, provider-qualified paths understood. A missing parent folder
        /// is created owner-only (700 on Unix), since it is about to hold an account's key.
        /// </summary>
        public static string Resolve(PSCmdlet cmdlet, string path)
        {
            if (string.IsNullOrWhiteSpace(path)) return null;
            string full;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path.Trim(), out var provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                    throw AlexaException.InvalidInput($"The session path '{path}' is not a file system path (it names the {provider.Name} provider).");
            }
            catch (Exception e) when (!(e is AlexaException))
            {
                throw new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.InvalidArgument, $"The session path '{path}' cannot be resolved: {e.Message}", e);
            }
            string directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                try { Security.PrivateFiles.CreateDirectory(directory); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.WriteError, $"The folder of the session file '{full}' cannot be created: {e.Message}", e);
                }
            }
            return full;
        }

        /// <summary>The account a saved session file belongs to, or null when its side file is missing or unreadable.</summary>
        public static SessionFileAccount ReadAccount(string fullPath)
        {
            string side = fullPath + AccountSuffix;
            if (!File.Exists(side)) return null;
            try
            {
                var account = JsonSerializer.Deserialize<SessionFileAccount>(File.ReadAllText(side));
                return string.IsNullOrWhiteSpace(account?.Account) ? null : account;
            }
            catch (Exception e) when (e is IOException || e is JsonException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Records whose saved session this is, next to it (owner-only).</summary>
        public static void WriteAccount(AlexaSession session)
        {
            if (string.IsNullOrEmpty(session.SessionPath) || !File.Exists(session.SessionPath)) return;
            var account = new SessionFileAccount { Account = session.Account, Marketplace = session.Marketplace, BaseUri = session.BaseUri?.AbsoluteUri };
            Security.PrivateFiles.WriteAllText(session.SessionPath + AccountSuffix, JsonSerializer.Serialize(account));
        }

        public static void DeleteAccount(string fullPath)
        {
            if (!string.IsNullOrEmpty(fullPath) && File.Exists(fullPath + AccountSuffix)) File.Delete(fullPath + AccountSuffix);
        }

        /// <summary>The error for a session file that is not there and no password to create it with.</summary>
        public static AlexaException NotFound(string fullPath, string account) =>
            new AlexaException(AlexaErrorId.SessionFileNotFound, ErrorCategory.ObjectNotFound,
                $"The session file '{fullPath}'{(account == null ? "" : " for " + account)} does not exist, and no password was given to sign in and create it.")
            { RecommendedAction = "Check the path, or sign in once with -Credential (or -Password, or -Interactive) and the same -SessionPath to save the session there." };
    }
}
