// The one translation of what failed during an account's work into the module's errors: a
// timeout, an unreachable site, a browser problem; anything else is an unexpected failure of that row.
using System;
using System.Management.Automation;
using Microsoft.Playwright;

namespace AlexaPrivacy.Execution
{
    internal static class AccountErrors
    {
        /// <summary>The module's error for <paramref name="e"/>; null for a failure the module does not know.</summary>
        public static AlexaException Translate(Exception e, string account)
        {
            switch (e)
            {
                case AlexaException alexa:
                    return alexa;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    return Translate(aggregate.InnerException, account);
                case TimeoutException timeout:
                    return new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                        $"A page did not answer in time for {account}: {Security.SecretFreeText.FirstLine(timeout.Message)}", timeout);
                case PlaywrightException playwright when playwright.Message.IndexOf("net::ERR_", StringComparison.Ordinal) >= 0:
                    return new AlexaException(AlexaErrorId.SiteUnreachable, ErrorCategory.ConnectionError,
                        $"The site cannot be reached for {account}: {NetworkError(playwright.Message)}", playwright)
                    { RecommendedAction = "Check the network connection, a proxy or firewall, and -BaseUri; run the command again when the site answers (running it again is safe)." };
                case PlaywrightException playwright:
                    return new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                        $"The browser reported a problem for {account}: {Security.SecretFreeText.FirstLine(playwright.Message)}", playwright);
                default:
                    return null;
            }
        }

        // "net::ERR_CONNECTION_REFUSED at http://host/path": the browser's reason and the address, without a call log.
        private static string NetworkError(string message)
        {
            string line = Security.SecretFreeText.FirstLine(message);
            int start = line.IndexOf("net::ERR_", StringComparison.Ordinal);
            return line.Substring(start);
        }

        /// <summary>The error reported for a row whose work failed with <paramref name="e"/>: its translation, or an unexpected failure.</summary>
        public static AlexaException ForRow(Exception e, string account) =>
            Translate(e, account)
            // Not a failure this module knows: report it for this row rather than lose it.
            ?? new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.NotSpecified,
                $"Unexpected failure for {account}: {e.GetType().Name}: {Security.SecretFreeText.FirstLine(e.Message)}", e);
    }
}
