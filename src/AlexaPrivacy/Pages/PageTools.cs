// What every page object needs: URLs in the right language, bounded waits for conditions,
// cancellation of Playwright calls, and a secret-free screenshot when a page is not as expected.
using System;
using System.IO;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal static class PageTools
    {
        /// <summary>The page language the module asks for: the marketplace's own when the profile holds its labels, else the fallback.</summary>
        public static string PageLanguage(AlexaSession session)
        {
            var profile = session.Profile;
            string native = profile.Marketplace(session.Marketplace).Language;
            return profile.LabelsFor(native)?.HasPageLabels == true ? native : profile.FallbackLanguage;
        }

        public static LanguageLabels Labels(AlexaSession session) => session.Profile.LabelsFor(PageLanguage(session));

        /// <summary>
        /// Matches an accessible name that is the whole label, allowing only surrounding space and
        /// decoration such as an arrow glyph; "Use of Voice Recordings for Personalization" does not
        /// match "Use of Voice Recordings".
        /// </summary>
        public static Regex WholeLabel(string label) =>
            new Regex("^" + Decoration + Regex.Escape(label.Trim()) + Decoration + "$");

        /// <summary>A visible name without the decoration WholeLabel allows around it.</summary>
        public static string StripDecoration(string text) =>
            Regex.Replace(Regex.Replace(text ?? "", "^" + Decoration, ""), Decoration + "$", "");

        // Space, arrows, geometric shapes and dingbats; written without \\p{} so that the
        // expression means the same in .NET and in the browser's JavaScript.
        private const string Decoration = "[\\s\\u00A0\\u2190-\\u21FF\\u2500-\\u27BF]*";

        public static string Url(AlexaSession session, string path)
        {
            var builder = new UriBuilder(new Uri(session.BaseUri, path));
            string language = session.Profile.LanguageParameter + "=" + Uri.EscapeDataString(PageLanguage(session));
            builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? language : builder.Query.TrimStart('?') + "&" + language;
            return builder.Uri.AbsoluteUri;
        }

        public static float ActionTimeoutMs(AlexaSession session) => (float)(session.Profile.Timeouts.ActionSeconds * 1000);

        public static float NavigationTimeoutMs(AlexaSession session) => (float)(session.Profile.Timeouts.NavigationSeconds * 1000);

        /// <summary>Awaits a Playwright call, giving up as soon as the cmdlet is stopped.</summary>
        public static async Task<T> WithCancellation<T>(this Task<T> task, CancellationToken cancel)
        {
            if (!cancel.CanBeCanceled) return await task.ConfigureAwait(false);
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancel.Register(() => stopped.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, stopped.Task).ConfigureAwait(false) != task)
                {
                    ObserveLater(task);
                    throw new OperationCanceledException(cancel);
                }
            }
            return await task.ConfigureAwait(false);
        }

        public static async Task WithCancellation(this Task task, CancellationToken cancel)
        {
            await WithCancellation(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), cancel).ConfigureAwait(false);
        }

        private static void ObserveLater(Task task) => task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);

        /// <summary>Polls a condition until it holds or the timeout passes: a wait for a state, never a fixed sleep.</summary>
        public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancel)
        {
            var deadline = DateTime.UtcNow + timeout;
            int delay = 25;
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                if (await condition().ConfigureAwait(false)) return true;
                if (DateTime.UtcNow >= deadline) return false;
                await Task.Delay(delay, cancel).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 250);
            }
        }

        public static async Task<bool> IsPresentAsync(ILocator locator)
        {
            try
            {
                return await locator.CountAsync().ConfigureAwait(false) > 0;
            }
            catch (PlaywrightException)
            {
                return false; // the page navigated while we looked
            }
        }

        public static async Task<bool> IsVisibleAsync(ILocator locator)
        {
            try
            {
                return await locator.First.IsVisibleAsync().ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                return false;
            }
        }

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
                    ObserveLater(capture);
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
