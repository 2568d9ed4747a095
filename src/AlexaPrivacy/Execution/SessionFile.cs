// What a saved session file needs beside the browser state: where it is (resolved like every
// PowerShell path, its folder created owner-only), whose it is, and the rule that a saved session
// is used only for its own account, on its own marketplace and site. The file records these itself
// (see SessionStore); an older version's "<file>.account" side file is migrated once, and only when
// it is a regular, owner-only file of the current user. Saved data never says where credentials go.
using System;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using AlexaPrivacy.Security;
using AlexaPrivacy.Site;

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

        /// <summary>
        /// The saved session at <paramref name="fullPath"/>, or null when there is none. A file of an
        /// older version (no record of its account) takes the record from its side file once, when that
        /// side file can be trusted, and is saved again with it; otherwise it stays unrecorded, and
        /// <see cref="EnsureBelongs"/> refuses it.
        /// </summary>
        public static SavedSession Load(string fullPath)
        {
            var saved = SessionStore.TryLoad(fullPath);
            if (saved == null) return null;
            if (saved.Recorded)
            {
                // The file says whose it is: a side file beside it is left over (or planted), and never read.
                SessionStore.RemoveLegacySideFile(fullPath);
                return saved;
            }
            string side = fullPath + SessionStore.LegacySideSuffix;
            SessionFileAccount account;
            try
            {
                string text = PrivateFileReader.ReadText(side, "The account file");
                if (text == null) return saved;
                account = JsonSerializer.Deserialize<SessionFileAccount>(text);
            }
            catch (AlexaException e)
            {
                saved.MigrationProblem = e.Message;
                return saved;
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException)
            {
                saved.MigrationProblem = $"The account file '{side}' cannot be read: {e.Message}";
                return saved;
            }
            if (string.IsNullOrWhiteSpace(account?.Account) || string.IsNullOrWhiteSpace(account.BaseUri))
            {
                saved.MigrationProblem = $"The account file '{side}' does not name an account and a site.";
                return saved;
            }
            saved.Account = account.Account.Trim();
            saved.Marketplace = SiteProfile.NormalizeMarketplace(string.IsNullOrWhiteSpace(account.Marketplace) ? SessionOpener.DefaultMarketplace : account.Marketplace);
            saved.BaseUri = account.BaseUri.Trim();
            // Once: the file records its account from now on, and the side file is removed.
            SessionStore.Save(fullPath, saved.State, saved.Account, saved.Marketplace,
                Uri.TryCreate(saved.BaseUri, UriKind.Absolute, out var uri) ? uri : null);
            return saved;
        }

        /// <summary>
        /// Refuses a saved session for any account, marketplace or site but its own, and takes no host
        /// from it: a saved site that is not the marketplace's built-in host is used only when this
        /// command names it with -BaseUri (<paramref name="givenBaseUri"/>).
        /// </summary>
        public static void EnsureBelongs(SavedSession saved, string fullPath, string account, string marketplace, SiteProfile profile, Uri givenBaseUri)
        {
            if (!saved.Recorded)
            {
                throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                    $"The session file '{fullPath}' does not record which account it belongs to, so it is used for none."
                    + (saved.MigrationProblem == null ? "" : " " + saved.MigrationProblem))
                { RecommendedAction = "Delete it and sign in again with -Email, -Password (or -Credential) and -SessionPath: the new file records its account." };
            }
            string savedMarketplace = SiteProfile.NormalizeMarketplace(saved.Marketplace);
            if (!Uri.TryCreate(saved.BaseUri, UriKind.Absolute, out var savedUri)
                || (savedUri.Scheme != Uri.UriSchemeHttps && savedUri.Scheme != Uri.UriSchemeHttp))
            {
                throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.InvalidData,
                    $"The session file '{fullPath}' records a site that is not an http(s) address; it was not used.")
                { RecommendedAction = "Delete it and sign in again with -SessionPath." };
            }
            string savedSite = Site(savedUri);
            bool sameAccount = string.Equals(saved.Account, account?.Trim(), StringComparison.OrdinalIgnoreCase);
            bool sameMarketplace = string.Equals(savedMarketplace, SiteProfile.NormalizeMarketplace(marketplace), StringComparison.OrdinalIgnoreCase);
            string site = givenBaseUri == null ? null : Site(SessionOpener.ResolveBaseUri(profile, marketplace, givenBaseUri));
            bool sameSite = site == null || string.Equals(site, savedSite, StringComparison.OrdinalIgnoreCase);
            if (!sameAccount || !sameMarketplace || !sameSite)
            {
                string asked = $"{account?.Trim()} on {marketplace}" + (site == null ? "" : $" at {site}");
                throw new AlexaException(AlexaErrorId.SessionAccountMismatch, ErrorCategory.InvalidArgument,
                    $"The session file '{fullPath}' is the saved sign-in of {saved.Account} on {savedMarketplace} at {savedSite}, not of {asked}; it was not used, and nothing was changed.")
                {
                    RecommendedAction = $"Give each account its own -SessionPath (or SessionPath column). To use this file, give -Email {saved.Account}"
                        + (sameMarketplace ? "" : $" -Marketplace {savedMarketplace}") + (sameSite ? "" : $" -BaseUri {savedSite}") + ", or leave -Email out.",
                };
            }
            string builtIn = Site(SessionOpener.ResolveBaseUri(profile, savedMarketplace, null));
            if (site == null && !string.Equals(savedSite, builtIn, StringComparison.OrdinalIgnoreCase))
            {
                throw new AlexaException(AlexaErrorId.UnsafeOrigin, ErrorCategory.SecurityError,
                    $"The session file '{fullPath}' was saved on {savedSite}, which is not {savedMarketplace}'s own site ({builtIn}); a saved file never decides where credentials go, so it was not used.")
                { RecommendedAction = $"Give -BaseUri {savedSite} on the command to use that site, or sign in again without -BaseUri." };
            }
        }

        private static string Site(Uri uri) => uri.GetLeftPart(UriPartial.Authority) + "/";

        /// <summary>The error for a session file that is not there and no password to create it with.</summary>
        public static AlexaException NotFound(string fullPath, string account) =>
            new AlexaException(AlexaErrorId.SessionFileNotFound, ErrorCategory.ObjectNotFound,
                $"The session file '{fullPath}'{(account == null ? "" : " for " + account)} does not exist, and no password was given to sign in and create it.")
            { RecommendedAction = "Check the path, or sign in once with -Credential (or -Password, or -Interactive) and the same -SessionPath to save the session there." };

        /// <summary>
        /// Resolves a -SessionPath (or SessionPath column) into the request and fills what its file
        /// knows; false, with an error for that row, when the file cannot serve.
        /// </summary>
        public static bool Use(PSCmdlet cmdlet, ConnectRequest request, string sessionPath, bool interactive, AccountRunner runner, object target)
        {
            if (string.IsNullOrWhiteSpace(sessionPath)) return true;
            try
            {
                request.SessionPath = Resolve(cmdlet, sessionPath);
                // An interactive sign-in creates the file; otherwise a missing file needs a password.
                Complete(request, interactive);
                return true;
            }
            catch (AlexaException e)
            {
                runner.Reject(target, e.ForAccount(request.Email));
                return false;
            }
        }

        /// <summary>
        /// Fills what a saved session file knows (its account and marketplace) where the row does not
        /// say, refuses a file of another account, marketplace or site (AlexaSessionAccountMismatch) or
        /// one saved on a site that this command does not name, and refuses a file that is not there
        /// when there is no password to create it. The site always comes from the marketplace or the
        /// command's -BaseUri, never from the file.
        /// </summary>
        public static void Complete(ConnectRequest request, bool interactive = false)
        {
            var saved = Load(request.SessionPath);
            if (saved != null)
            {
                if (string.IsNullOrWhiteSpace(request.Email) && saved.Recorded) request.Email = saved.Account;
                if (request.Marketplace == null && saved.Recorded) request.Marketplace = saved.Marketplace;
                string marketplace = AlexaPrivacy.Site.SiteProfile.NormalizeMarketplace(request.Marketplace ?? SessionOpener.DefaultMarketplace);
                EnsureBelongs(saved, request.SessionPath, request.Email, marketplace, request.Profile ?? AlexaPrivacy.Site.SiteProfile.Resolve(), request.BaseUri);
            }
            else if (request.Password == null && !interactive)
            {
                throw NotFound(request.SessionPath, string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim());
            }
            if (string.IsNullOrWhiteSpace(request.Email))
            {
                throw AlexaException.InvalidInput($"There is no saved session at '{request.SessionPath}' to say whose it is: give -Email (or an Email column) with it.");
            }
        }
    }
}
