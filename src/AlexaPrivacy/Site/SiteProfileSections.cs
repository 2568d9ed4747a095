// The sections of a site profile as read from its JSON: marketplaces, paths, sign-in selectors,
// timeouts, limits, settings and the words of each language.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AlexaPrivacy.Site
{
    public sealed class MarketplaceInfo
    {
        public string Host { get; set; }
        public string CookieSuffix { get; set; }
        public string Language { get; set; }
    }

    public sealed class SitePaths
    {
        public string Hub { get; set; }
        public string Settings { get; set; }
        public string VoiceHistory { get; set; }
        /// <summary>The voice-history page's own data request (customer-history-records-v2).</summary>
        public string VoiceHistoryRecords { get; set; }
        public string SignIn { get; set; }
        public string SignOut { get; set; }
    }

    public sealed class SignInSelectors
    {
        public string EmailInput { get; set; }
        public string EmailContinue { get; set; }
        public string PasswordInput { get; set; }
        public string RememberMe { get; set; }
        public string PasswordSubmit { get; set; }
        public string OtpInput { get; set; }
        public string OtpRememberDevice { get; set; }
        public string OtpSubmit { get; set; }
        public string CaptchaImage { get; set; }
        public string CaptchaGuess { get; set; }
        public string ErrorBox { get; set; }
        public string WarningBox { get; set; }
    }

    public sealed class SiteTimeouts
    {
        public double NavigationSeconds { get; set; } = 30;
        public double ActionSeconds { get; set; } = 15;
        /// <summary>How long sign-in waits for a push approval; 0 fails at once with AlexaApprovalRequired.</summary>
        public double ApprovalSeconds { get; set; }
        /// <summary>How long Connect-AlexaAccount -Interactive waits for a person to finish signing in.</summary>
        public double InteractiveSeconds { get; set; } = 600;
        /// <summary>How long one account's work may take in all (sign-in included) before it becomes AlexaTimeout for that row.</summary>
        public double AccountSeconds { get; set; } = 300;
    }

    public sealed class SiteLimits
    {
        /// <summary>
        /// How many records one filter of "Review Voice History" may show before "Delete all of my recordings":
        /// the page lists them all to be counted first, and a longer list is slower to list than to split.
        /// </summary>
        public int RecordsPerFilter { get; set; } = 500;
    }

    public sealed class SettingDefinition
    {
        public string Kind { get; set; }
        public bool ConfirmOff { get; set; }
        public List<string> Values { get; set; }
    }

    public sealed class SignInTexts
    {
        public string UnknownEmail { get; set; }
        public string WrongPassword { get; set; }
        public string InvalidCode { get; set; }
        public string Captcha { get; set; }
        public string Approval { get; set; }
        public string Locked { get; set; }
        public List<string> Throttled { get; set; }
        /// <summary>Labels of the control that declines a page shown after the sign-in ("Not now", "Skip").</summary>
        public List<string> Decline { get; set; }
        /// <summary>Labels of the way from a passkey prompt to the password ("Sign in with your password").</summary>
        public List<string> PasswordRoute { get; set; }
    }

    public sealed class SettingsPageTexts
    {
        public string Heading { get; set; }
        public string TurnOff { get; set; }
        public string Confirm { get; set; }
        public string Save { get; set; }
        public string RetentionGroup { get; set; }
    }

    public sealed class LanguageLabels
    {
        public SignInTexts SignIn { get; set; }
        public SettingsPageTexts SettingsPage { get; set; }
        /// <summary>Per page generation ("2025", "2019"): setting name to visible label, plus "marker" for 2019.</summary>
        public Dictionary<string, Dictionary<string, string>> Generations { get; set; }
        public Dictionary<string, string> Retention { get; set; }
        /// <summary>The privacy hub: "heading" and its links ("voiceHistoryLink", "settingsLink", "activityLink").</summary>
        public Dictionary<string, string> Hub { get; set; }
        public Dictionary<string, string> VoiceHistory { get; set; }

        /// <summary>False for a language that holds only sign-in words.</summary>
        [JsonIgnore]
        public bool HasPageLabels => SettingsPage != null || Generations != null || Retention != null || VoiceHistory != null || Hub != null;
    }
}
