// "Review Voice History": the records on screen and their deletion through the page's buttons.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed partial class VoiceHistoryPage
    {
        // ---- the records on screen --------------------------------------------------------------

        /// <summary>Every "Delete recording" button, shown or inside a closed record.</summary>
        private ILocator DeleteButtons() =>
            Page.GetByRole(AriaRole.Button, new() { NameRegex = PageText.WholeLabel(Label("deleteRecording")), IncludeHidden = true });

        // A record is the largest element around a "Delete recording" button that holds no other one.
        private const string RecordsScript = @"els => {
            const container = b => {
                let c = b;
                while (c.parentElement && c.parentElement !== document.body) {
                    const p = c.parentElement;
                    if (els.some(e => e !== b && p.contains(e))) break;
                    c = p;
                }
                return c;
            };
            return els.map(b => {
                const c = container(b);
                const shown = c.getClientRects().length > 0 && getComputedStyle(c).visibility !== 'hidden';
                return shown ? (c.innerText || '') : null;
            });
        }";

        /// <summary>The text of each record shown, with the index of its button among DeleteButtons().</summary>
        private async Task<List<(int Button, string Text)>> RecordsAsync()
        {
            var texts = await DeleteButtons().EvaluateAllAsync<string[]>(RecordsScript).WithCancellation(Cancel);
            return texts.Select((t, i) => (Button: i, Text: t)).Where(r => r.Text != null).ToList();
        }

        private async Task<int> RecordCountAsync()
        {
            try
            {
                return (await RecordsAsync()).Count;
            }
            catch (PlaywrightException)
            {
                return -1; // the view was being rendered anew
            }
        }

        /// <summary>Presses "Show more" (or scrolls to the last record) until the page says "End of list" or "No records found"; returns the records shown.</summary>
        private async Task<int> ShowWholeListAsync(PageLoadWatch watch)
        {
            var more = Button(Label("showMore"));
            var end = Page.GetByText(Label("endOfList"), new() { Exact = true }).Or(Page.GetByText(Label("noRecords"), new() { Exact = true }))
                .Filter(new() { Visible = true });
            for (int round = 0; round < 2000; round++)
            {
                int before = await RecordCountAsync();
                bool ready = await Waits.WaitUntilAsync(async () =>
                    await Waits.IsPresentAsync(end) || await IsEnabledNowAsync(more) || (watch.TransientStatus != 0 && watch.Unanswered == 0),
                    TimeSpan.FromSeconds(round == 0 ? Session.Profile.Timeouts.NavigationSeconds : 2), Cancel);
                if (await Waits.IsPresentAsync(end)) return await RecordCountAsync();
                if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
                if (ready)
                {
                    await ClickAsync(more.First);
                    continue;
                }
                // No button: the page loads more when its last record comes into view.
                var records = await RecordsAsync();
                if (records.Count > 0)
                {
                    try
                    {
                        await DeleteButtons().Nth(records[records.Count - 1].Button).EvaluateAsync(@"b => {
                            let c = b; while (c && c.getClientRects().length === 0) c = c.parentElement;
                            (c || document.body).scrollIntoView({ block: 'end' });
                        }").WithCancellation(Cancel);
                    }
                    catch (PlaywrightException)
                    {
                        // Rendered anew meanwhile: the next round looks again.
                    }
                }
                await Page.Mouse.WheelAsync(0, 4000).WithCancellation(Cancel);
                bool grew = await Waits.WaitUntilAsync(async () => await Waits.IsPresentAsync(end) || await RecordCountAsync() > before || await IsEnabledNowAsync(more),
                    NavigationTimeout, Cancel);
                if (!grew)
                {
                    if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"'{Label("showMore")}' or '{Label("endOfList")}' at the end of the list", AlexaErrorId.Timeout);
                }
            }
            throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"'{Label("endOfList")}' after 2000 rounds of '{Label("showMore")}'");
        }

        /// <summary>Whether a button is there and enabled at this moment; the page replaces "Show more" when its data arrives, so never wait for it.</summary>
        private static async Task<bool> IsEnabledNowAsync(ILocator button)
        {
            try
            {
                return await Waits.IsPresentAsync(button) && await button.First.IsEnabledAsync(new() { Timeout = 500 });
            }
            catch (Exception e) when (e is TimeoutException || e is PlaywrightException)
            {
                return false;
            }
        }

        private bool IsChange(IResponse r) => !r.Url.Contains(Session.Profile.Paths.VoiceHistoryRecords);

        /// <summary>Presses "Delete all of my recordings" and the dialog's "Delete": deletes what the filters show.</summary>
        public Task DeleteAllShownAsync() =>
            RetryingAsync(async () =>
            {
                var deleteAll = Button(Label("deleteAll"));
                if (!await WaitForAsync(() => Waits.IsPresentAsync(deleteAll)))
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"button '{Label("deleteAll")}'");
                }
                await ClickAndConfirmAsync(deleteAll.First, Label("delete"), IsChange, "the deletion", confirmationExpected: true);
                return true;
            }, reloadOnTransient: false, reloadOnSessionEnd: false);

        /// <summary>
        /// Deletes the record shown at <paramref name="index"/> (0 = newest) with its own "Delete recording"
        /// button, after checking that the record shows the expected device and words.
        /// </summary>
        public Task DeleteShownAsync(int index, AlexaVoiceRecord expected) =>
            RetryingAsync(async () =>
            {
                var records = await RecordsAsync();
                int before = records.Count;
                if (index >= before)
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"record number {index + 1} (only {before} are shown)");
                }
                string text = records[index].Text;
                bool sameDevice = string.IsNullOrEmpty(expected.Device) || text.Contains(expected.Device);
                bool sameWords = expected.Type != "CUSTOMER_TRANSCRIPT" || text.Contains("\"" + expected.Transcript + "\"") || text.Contains("\u201C" + expected.Transcript + "\u201D");
                if (!sameDevice || !sameWords)
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName,
                        $"record of {expected.Time:g} on '{expected.Device}' at the place where the data request put it; nothing was deleted for it");
                }
                var button = DeleteButtons().Nth(records[index].Button);
                if (!await button.IsVisibleAsync().WithCancellation(Cancel))
                {
                    await OpenRecordAsync(button);
                }
                await ClickAndConfirmAsync(button, Label("delete"), IsChange, "the deletion of a recording", confirmationExpected: false);
                if (!await WaitForAsync(async () => { int now = await RecordCountAsync(); return now >= 0 && now < before; }))
                {
                    throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                        $"The {PageName} page still shows the record of {expected.Time:g} on '{expected.Device}' for {Session.Account} after '{Label("deleteRecording")}'.");
                }
                return true;
            }, reloadOnTransient: false, reloadOnSessionEnd: false);

        /// <summary>A record that shows its buttons only when opened (a closed disclosure): opens it.</summary>
        private async Task OpenRecordAsync(ILocator button)
        {
            var summary = button.Locator("xpath=ancestor::details[not(@open)][1]/summary");
            if (await Waits.IsPresentAsync(summary))
            {
                await ClickAsync(summary.First);
            }
            else
            {
                var disclosure = button.Locator("xpath=ancestor::*[.//*[@aria-expanded='false']][1]").GetByRole(AriaRole.Button, new() { Expanded = false }).Filter(new() { Visible = true });
                if (await Waits.IsPresentAsync(disclosure)) await ClickAsync(disclosure.First);
            }
            if (!await WaitForAsync(() => button.IsVisibleAsync()))
            {
                throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"visible '{Label("deleteRecording")}' button once the record is opened");
            }
        }
    }
}
