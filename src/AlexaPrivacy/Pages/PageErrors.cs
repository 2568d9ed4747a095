// When a page is not as expected: a secret-free screenshot and HTML of it (bounded), added to an error
// about a page, and the AlexaPageChanged error that names what is missing.
using System;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal static class PageErrors
    {
        /// <summary>Saves a screenshot and the HTML of the page, with every input's value removed first, and returns the screenshot's path.</summary>
        /// <remarks>Bounded: a page that hangs must not turn a timeout into a longer one.</remarks>
        /// <remarks>
        /// Untraced (<paramref name="trace"/> is the session's): the emptying script, the HTML and the screenshot
        /// are the module's own look at the page, and a traced call's before-snapshot would hold the inputs as they were.
        /// </remarks>
        public static async Task<string> CaptureAsync(IPage page, string account, string what, Diagnostics.SessionTrace trace = null)
        {
            if (page == null || page.IsClosed) return null;
            return await Diagnostics.SessionTrace.UntracedAsync(trace, page, null, async () =>
            {
                var capture = CaptureUnboundedAsync(page, account, what);
                if (await Task.WhenAny(capture, Task.Delay(CaptureBudget)).ConfigureAwait(false) != capture)
                {
                    Waits.ObserveLater(capture);
                    return null;
                }
                return await capture.ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        private static readonly TimeSpan CaptureBudget = TimeSpan.FromSeconds(5);

        /// <summary>Adds a screenshot and the HTML of the session's page to an error that has none yet; never throws.</summary>
        public static async Task<AlexaException> WithDiagnosticsAsync(AlexaException error, AlexaSession session, string what)
        {
            if (error == null || error.ScreenshotPath != null || session?.Page == null || !IsAboutAPage(error.ErrorId)) return error;
            try
            {
                error.ScreenshotPath = await CaptureAsync(session.Page, session.Account, what ?? error.ErrorId, session.Trace).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Diagnostics are a courtesy: the original error is what the user needs.
            }
            return error;
        }

        // Errors about the input, the files or the machine say all there is to say; a page adds nothing.
        private static bool IsAboutAPage(string errorId) =>
            errorId != AlexaErrorId.InvalidInput && errorId != AlexaErrorId.NoSession && errorId != AlexaErrorId.SessionFileUnsafe
            && errorId != AlexaErrorId.BrowserNotFound && errorId != AlexaErrorId.SiteProfileInvalid
            // A question no one answered (or the user refused) is not the page's doing.
            && errorId != AlexaErrorId.ConfirmationRequired;

        private static async Task<string> CaptureUnboundedAsync(IPage page, string account, string what)
        {
            try
            {
                // Owner-only files with unguessable names in a folder of the user's own (see DiagnosticsFolder).
                string baseName = Diagnostics.DiagnosticsFolder.NewBaseName(Diagnostics.DiagnosticsFolder.Ensure(), account, what);
                // Inputs are emptied in the page itself so neither the HTML nor the screenshot can hold a typed secret.
                await page.EvaluateAsync(@"() => {
                    for (const input of document.querySelectorAll('input, textarea')) {
                        if (input.type === 'checkbox' || input.type === 'radio' || input.type === 'submit' || input.type === 'button') continue;
                        input.value = '';
                        input.removeAttribute('value');
                    }
                }").ConfigureAwait(false);
                string html = await page.ContentAsync().ConfigureAwait(false);
                Security.PrivateFiles.WriteNew(baseName + ".html", System.Text.Encoding.UTF8.GetBytes(html));
                var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Timeout = 5_000 }).ConfigureAwait(false);
                Security.PrivateFiles.WriteNew(baseName + ".png", png);
                return baseName + ".png";
            }
            catch (Exception e) when (e is PlaywrightException || e is IOException || e is UnauthorizedAccessException || e is TimeoutException || e is AlexaException)
            {
                return null;
            }
        }

        public static async Task<AlexaException> PageChangedAsync(IPage page, AlexaSession session, string pageName, string missing, string errorId = AlexaErrorId.PageChanged)
        {
            string screenshot = await CaptureAsync(page, session.Account, pageName, session.Trace).ConfigureAwait(false);
            string where = screenshot == null ? "" : $" A screenshot of the page was saved to '{screenshot}'.";
            var category = errorId == AlexaErrorId.SettingUnavailable ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidResult;
            return new AlexaException(errorId, category,
                $"The {pageName} page for {session.Account} has no {missing}.{where}")
            {
                ScreenshotPath = screenshot,
                RecommendedAction = errorId == AlexaErrorId.SettingUnavailable
                    ? "Amazon may have removed this setting for the account or marketplace; the other settings still work."
                    : "Amazon may have changed the page. Compare the screenshot with Get-AlexaSiteProfile and put the new label in a site profile override ($env:ALEXAPRIVACY_SITE_PROFILE).",
            };
        }
    }
}
