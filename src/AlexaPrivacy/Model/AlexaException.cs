// The one exception type the module raises internally: it carries the stable error id and
// category that cmdlets turn into an ErrorRecord with the input as target object.
using System;
using System.Management.Automation;

namespace AlexaPrivacy
{
    /// <summary>Stable error ids: scripts match on these, so they never change.</summary>
    public static class AlexaErrorId
    {
        public const string AuthenticationFailed = "AlexaAuthenticationFailed";
        public const string OtpRequired = "AlexaOtpRequired";
        public const string OtpInvalid = "AlexaOtpInvalid";
        public const string CaptchaRequired = "AlexaCaptchaRequired";
        public const string ApprovalRequired = "AlexaApprovalRequired";
        public const string AccountLocked = "AlexaAccountLocked";
        public const string SessionExpired = "AlexaSessionExpired";
        public const string RateLimited = "AlexaRateLimited";
        public const string PageChanged = "AlexaPageChanged";
        public const string SettingUnavailable = "AlexaSettingUnavailable";
        public const string ChangeNotPersisted = "AlexaChangeNotPersisted";
        public const string BrowserNotFound = "AlexaBrowserNotFound";
        public const string Timeout = "AlexaTimeout";
        public const string InvalidInput = "AlexaInvalidInput";
        public const string NoSession = "AlexaNoSession";
        public const string UnsafeOrigin = "AlexaUnsafeOrigin";
        public const string SessionFileUnsafe = "AlexaSessionFileUnsafe";
        public const string SiteProfileInvalid = "AlexaSiteProfileInvalid";
        public const string WrongMarketplace = "AlexaWrongMarketplace";
        public const string SessionMismatch = "AlexaSessionMismatch";
        public const string SessionAccountMismatch = "AlexaSessionAccountMismatch";
        public const string SessionFileNotFound = "AlexaSessionFileNotFound";
        public const string SiteUnreachable = "AlexaSiteUnreachable";
        public const string ConfirmationRequired = "AlexaConfirmationRequired";
        public const string FileExists = "AlexaFileExists";
        public const string NodeNotFound = "AlexaNodeNotFound";
        public const string PolicyInvalid = "AlexaPolicyInvalid";
        public const string AuditLogFailed = "AlexaAuditLogFailed";
        public const string FileUnsafe = "AlexaFileUnsafe";
        public const string RemotingFailed = "AlexaRemotingFailed";
    }

    /// <summary>
    /// An inner exception from below the module is kept only as its kind and a scrubbed first line
    /// (<see cref="Security.BrowserFailure"/>): Playwright's call log can quote a typed password.
    /// </summary>
    public sealed class AlexaException : Exception
    {
        public AlexaException(string errorId, ErrorCategory category, string message, Exception inner = null)
            : base(Security.SecretFreeText.Scrub(message), Security.SecretFreeText.Detach(inner))
        {
            ErrorId = errorId;
            Category = category;
        }

        public string ErrorId { get; }
        public ErrorCategory Category { get; }

        /// <summary>Where a screenshot of the page was saved, when one was taken.</summary>
        public string ScreenshotPath { get; set; }

        public string RecommendedAction { get; set; }

        public ErrorRecord ToErrorRecord(object target)
        {
            var record = new ErrorRecord(this, ErrorId, Category, target);
            string message = Message;
            if (!string.IsNullOrEmpty(ScreenshotPath) && message.IndexOf(ScreenshotPath, StringComparison.Ordinal) < 0)
            {
                message += $" A screenshot and the page's HTML were saved to '{ScreenshotPath}' (and .html beside it).";
            }
            if (!string.IsNullOrEmpty(RecommendedAction) || !ReferenceEquals(message, Message))
            {
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = RecommendedAction };
            }
            return record;
        }

        /// <summary>The same error with the account it concerns in front of its message, unless the message names it already.</summary>
        public AlexaException ForAccount(string account)
        {
            if (string.IsNullOrWhiteSpace(account) || Message.IndexOf(account, StringComparison.OrdinalIgnoreCase) >= 0) return this;
            return new AlexaException(ErrorId, Category, $"{account}: {Message}", InnerException)
            {
                ScreenshotPath = ScreenshotPath,
                RecommendedAction = RecommendedAction,
            };
        }

        /// <summary>Sets the recommended action and returns the same error, for one-expression throws.</summary>
        public AlexaException WithRecommendation(string action)
        {
            RecommendedAction = action;
            return this;
        }

        public static AlexaException InvalidInput(string message) =>
            new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.InvalidArgument, message);
    }
}
