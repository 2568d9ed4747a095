// The objects piped into a data cmdlet (a setting, a voice record): which session works on each,
// and what is refused (another account's object, a value that does not apply to a setting's kind).
using System;
using System.Management.Automation;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    public abstract partial class AlexaAccountCmdlet
    {
        /// <summary>
        /// The session that works on an object piped in (a record or a setting): the object's own, or
        /// -Session when given. Null, with an error for that object, when -Session belongs to another
        /// account than the one the object was read from (AlexaSessionMismatch), or when neither is known.
        /// </summary>
        internal AlexaSession SessionForObject(AlexaSession own, string account, object target, string what)
        {
            var given = Session;
            if (given == null)
            {
                if (own != null) return own;
                Reject(target, AlexaException.InvalidInput($"This {what} did not come from this PowerShell session, so the account it belongs to is unknown.")
                    .WithRecommendation("Pass -Session with the session of its account, or read it again with the cmdlet that produces it."), account);
                return null;
            }
            if (!SameAccount(own, account, given))
            {
                Reject(target, SessionMismatch(what, own?.Account ?? account, own?.Marketplace, given), account);
                return null;
            }
            return given;
        }

        /// <summary>
        /// The session for a setting piped in from Get-AlexaDataSetting, or null when it is not to be
        /// worked on: an error for a session mismatch or an unreadable -Enabled/-Value, a warning when
        /// the parameters given do not apply to its kind (-Enabled on the retention choice, say), so
        /// that "Get-AlexaDataSetting | Set-AlexaDataSetting -Enabled $false" turns off every switch.
        /// </summary>
        internal AlexaSession SessionForSetting(AlexaDataSetting setting, WantedValue wanted, out SettingRequest request)
        {
            request = null;
            var session = SessionForObject(setting.Session, setting.Account, setting, "setting");
            if (session == null) return null;
            var kind = SettingRequest.KindOf(session.Profile, setting.Name)
                ?? (setting.Enabled.HasValue ? SettingKind.Switch : SettingKind.Retention);
            string skip = SettingRequest.NotApplicable(kind, setting, wanted);
            if (skip != null)
            {
                WriteWarning($"{session.Account}: {skip}");
                return null;
            }
            try
            {
                request = SettingRequest.Parse(session.Profile, setting.Name, wanted);
            }
            catch (AlexaException e)
            {
                Reject(setting, e, session.Account);
                return null;
            }
            return session;
        }

        /// <summary>True when an object read by <paramref name="own"/> (or of <paramref name="account"/>) belongs to the account of <paramref name="given"/>.</summary>
        internal static bool SameAccount(AlexaSession own, string account, AlexaSession given)
        {
            if (own != null)
            {
                return ReferenceEquals(own, given)
                    || (string.Equals(own.Account, given.Account, StringComparison.OrdinalIgnoreCase)
                        && string.Equals(own.Marketplace, given.Marketplace, StringComparison.OrdinalIgnoreCase)
                        && Equals(own.BaseUri, given.BaseUri));
            }
            return string.IsNullOrEmpty(account) || string.Equals(account, given.Account, StringComparison.OrdinalIgnoreCase);
        }

        internal static AlexaException SessionMismatch(string what, string ownAccount, string ownMarketplace, AlexaSession given) =>
            new AlexaException(AlexaErrorId.SessionMismatch, ErrorCategory.InvalidArgument,
                $"This {what} belongs to {ownAccount}{(ownMarketplace == null ? "" : " on " + ownMarketplace)}, but -Session is the session of {given.Account} on {given.Marketplace}; it was left alone.")
            { RecommendedAction = $"Pass the session of {ownAccount} with -Session, or leave -Session out: a piped {what} carries the session that read it." };
    }
}
