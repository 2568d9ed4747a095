// Test-AlexaSiteCompatibility on "Review Voice History": its filters used as a person uses them.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed partial class SiteCompatibilityCheck
    {
        // ---- Review Voice History: the filters as a person uses them -------------------------------

        private static readonly string[] ChoiceKeys =
            { "filterToday", "filterYesterday", "filterLast7Days", "filterLast30Days", "filterAllHistory", "filterCustom", "allDevices" };

        private string VoiceLabel(string key) =>
            _labels.VoiceHistory != null && _labels.VoiceHistory.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

        /// <summary>
        /// The page's labels, with each filter choice looked for where it lives (a select, or the popup of
        /// a filter control, which is opened for it), then a custom date range applied and checked
        /// against the page's own data request.
        /// </summary>
        private async Task<List<Expected>> VoiceHistoryLabelsAsync(IPage page)
        {
            var expected = VoiceHistoryLabels();
            var choices = expected.Where(e => ChoiceKeys.Any(k => e.Label == "voiceHistory." + k)).ToList();
            // The page object of the deletions: the check finds and chooses the filters as they do.
            var shown = VoiceHistoryPage.AsShown(_session, page, _verbose, _cancel);
            await FindChoicesAsync(page, shown, choices);
            foreach (var e in choices.Where(c => c.Found != true)) e.Found = false;
            string custom = VoiceLabel("filterCustom"), start = VoiceLabel("startDate"), end = VoiceLabel("endDate");
            if (custom == null || start == null || end == null) return expected;
            var startRow = new Expected { Label = "voiceHistory.startDate", Text = start, Role = AriaRole.Textbox, Found = false };
            var endRow = new Expected { Label = "voiceHistory.endDate", Text = end, Role = AriaRole.Textbox, Found = false };
            var rangeRow = new Expected { Label = "voiceHistory.customRange", RoleText = StepRole, Found = false };
            expected.Add(startRow);
            expected.Add(endRow);
            expected.Add(rangeRow);
            await ApplyCustomRangeAsync(page, shown, custom, startRow, endRow, rangeRow);
            return expected;
        }

        // The name a person reads on each opener (null for a native select, which shows its options without opening).
        private const string OpenerNamesScript = @"els => els.map(e => {
            if (e.tagName === 'SELECT') return null;
            const label = e.getAttribute('aria-label');
            if (label) return label.trim();
            const by = e.getAttribute('aria-labelledby');
            if (by) return by.split(/\s+/).map(id => { const n = document.getElementById(id); return n ? n.textContent : ''; }).join(' ').trim();
            return (e.innerText || e.textContent || '').trim();
        })";

        private async Task<string[]> OpenerNamesAsync(VoiceHistoryPage shown)
        {
            try
            {
                return await shown.Openers().EvaluateAllAsync<string[]>(OpenerNamesScript).WithCancellation(_cancel);
            }
            catch (PlaywrightException)
            {
                return new string[0]; // the view was being rendered anew
            }
        }

        /// <summary>At most this many controls are opened in search of the filter choices.</summary>
        private const int MaxOpeners = 12;

        /// <summary>
        /// Marks each choice found where a person finds it: in a select, on screen, or in the popup of a
        /// filter control, which is opened (and closed again) for it.
        /// </summary>
        private async Task FindChoicesAsync(IPage page, VoiceHistoryPage shown, List<Expected> choices)
        {
            foreach (var e in choices)
            {
                if (await Waits.IsPresentAsync(shown.SelectOffering(e.Text))) { e.Found = true; e.Detail = "in a select"; }
                else if (await Waits.IsPresentAsync(shown.Choice(e.Text))) { e.Found = true; e.Detail = "shown on the page"; }
            }
            // Every control that opens something is opened once (by its name: records share theirs), until every choice was seen.
            var tried = new HashSet<string>(StringComparer.Ordinal);
            while (choices.Any(c => c.Found != true) && tried.Count < MaxOpeners)
            {
                var names = await OpenerNamesAsync(shown);
                int index = Array.FindIndex(names, n => n != null && !tried.Contains(n));
                if (index < 0) break;
                string name = names[index];
                tried.Add(name);
                _verbose($"Opening '{name}' on the {VoiceHistoryPage.PageName} page in search of its filter choices.");
                try
                {
                    await shown.Openers().Nth(index).ClickAsync(new() { Timeout = Waits.ActionTimeoutMs(_session) }).WithCancellation(_cancel);
                }
                catch (Exception ex) when (ex is TimeoutException || ex is PlaywrightException)
                {
                    continue; // gone or covered: the next round looks again
                }
                var missing = choices.Where(c => c.Found != true).ToList();
                await Waits.WaitUntilAsync(async () =>
                {
                    foreach (var c in missing) if (await Waits.IsPresentAsync(shown.Choice(c.Text))) return true;
                    return false;
                }, TimeSpan.FromSeconds(2), _cancel);
                foreach (var c in missing)
                {
                    if (!await Waits.IsPresentAsync(shown.Choice(c.Text))) continue;
                    c.Found = true;
                    c.Detail = $"in the popup of '{name}'";
                }
                // A popup closes with Escape; a disclosure (a record's response) may stay open, it hides nothing.
                await page.Keyboard.PressAsync("Escape").WithCancellation(_cancel);
            }
        }

        /// <summary>A data request of the page for the records between two instants, as sent and as answered.</summary>
        private sealed class RangeRequest
        {
            public long Start;
            public long End;
            public int Status;
        }

        /// <summary>
        /// Chooses "Custom", fills both dates with the seven days before today (the browser's local days),
        /// confirms them as a person would ("Apply" when the page has one, else Enter in a date field), and
        /// checks that the page's own data request then asked for exactly that range.
        /// </summary>
        private async Task ApplyCustomRangeAsync(IPage page, VoiceHistoryPage shown, string custom, Expected startRow, Expected endRow, Expected rangeRow)
        {
            // The browser's calendar: the page's dates are its local days.
            var days = await page.EvaluateAsync<string[]>(@"() => {
                const p = n => (n < 10 ? '0' : '') + n, iso = d => d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
                const t = new Date(); t.setHours(0, 0, 0, 0);
                const first = new Date(t.getFullYear(), t.getMonth(), t.getDate() - 7), last = new Date(t.getFullYear(), t.getMonth(), t.getDate() - 1);
                return [iso(first), iso(last), String(first.getTime()), String(t.getTime())];
            }").WithCancellation(_cancel);
            string firstDay = days[0], lastDay = days[1];
            long startMs = long.Parse(days[2], CultureInfo.InvariantCulture), nextMidnight = long.Parse(days[3], CultureInfo.InvariantCulture);
            rangeRow.Text = $"{custom} {firstDay} to {lastDay}";

            var requests = new List<RangeRequest>();
            string feed = _session.Profile.Paths.VoiceHistoryRecords;
            void OnResponse(object sender, IResponse response)
            {
                if (!Uri.TryCreate(response.Url, UriKind.Absolute, out var uri) || !uri.AbsolutePath.EndsWith(feed, StringComparison.Ordinal)) return;
                lock (requests) requests.Add(new RangeRequest { Start = VoiceHistoryPage.QueryMs(uri, "startTime"), End = VoiceHistoryPage.QueryMs(uri, "endTime"), Status = response.Status });
            }
            // The range asked for: its first millisecond, and its last (inclusive) or the next midnight (exclusive).
            bool Matches(RangeRequest r) => r.Status == 200 && r.Start == startMs && (r.End == nextMidnight - 1 || r.End == nextMidnight);
            bool Followed() { lock (requests) return requests.Any(Matches); }

            var network = PageNetwork.Of(page);
            network.Response += OnResponse;
            try
            {
                try
                {
                    await shown.ChooseAsync(custom, $"date filter with '{custom}'");
                }
                catch (AlexaException ex)
                {
                    rangeRow.Detail = $"'{custom}' could not be chosen in the date filter: {ex.Message.Split('\n')[0]}";
                    return;
                }
                var start = page.GetByLabel(startRow.Text, new() { Exact = true }).Filter(new() { Visible = true });
                var end = page.GetByLabel(endRow.Text, new() { Exact = true }).Filter(new() { Visible = true });
                var timeout = TimeSpan.FromSeconds(_session.Profile.Timeouts.NavigationSeconds);
                await Waits.WaitUntilAsync(async () => await Waits.IsPresentAsync(start) && await Waits.IsPresentAsync(end), timeout, _cancel);
                startRow.Found = await Waits.IsPresentAsync(start);
                endRow.Found = await Waits.IsPresentAsync(end);
                startRow.Detail = endRow.Detail = $"shown once '{custom}' is chosen";
                if (startRow.Found != true || endRow.Found != true)
                {
                    rangeRow.Detail = $"The date fields '{startRow.Text}' and '{endRow.Text}' did not show once '{custom}' was chosen.";
                    return;
                }
                _verbose($"Applying the custom range {firstDay} to {lastDay} on the {VoiceHistoryPage.PageName} page.");
                // The range step of the deletions themselves (types again what a view drawn anew lost): what this reports is what they meet.
                await shown.FillDaysAsync(start, firstDay, end, lastDay);
                bool onTyping = await Waits.WaitUntilAsync(() => Task.FromResult(Followed()), TimeSpan.FromMilliseconds(300), _cancel);
                string how = await shown.ConfirmRangeAsync(end);
                rangeRow.Found = onTyping || await Waits.WaitUntilAsync(() => Task.FromResult(Followed()), timeout, _cancel);
                if (rangeRow.Found == true)
                {
                    rangeRow.Detail = onTyping
                        ? $"The page asked for the range as the dates were typed (then {how})."
                        : $"The page asked for the range once confirmed ({how}).";
                }
                else
                {
                    RangeRequest last, failed;
                    lock (requests)
                    {
                        last = requests.LastOrDefault();
                        failed = requests.LastOrDefault(r => Matches(new RangeRequest { Start = r.Start, End = r.End, Status = 200 }));
                    }
                    rangeRow.Detail = (failed != null
                        ? $"After {how} the page asked for the records of {firstDay} to {lastDay} but was answered {failed.Status}."
                        : $"After {how} the page did not ask for the records of {firstDay} to {lastDay} (startTime={startMs}) within {timeout.TotalSeconds:0} s; "
                            + (last == null ? "it sent no data request at all." : $"its last data request asked for startTime={last.Start}&endTime={last.End} (answered {last.Status})."))
                        + " The module counts and deletes only what a filter shows once the page's data request confirms it, so deletion by range cannot work on this page now.";
                }
            }
            catch (Exception ex) when (ex is TimeoutException || ex is PlaywrightException || ex is AlexaException)
            {
                rangeRow.Detail = $"The custom range could not be applied: {ex.Message.Split('\n')[0]}";
            }
            finally
            {
                network.Response -= OnResponse;
            }
        }

        private static readonly HashSet<string> Conditional = new HashSet<string>(StringComparer.Ordinal)
            { "noRecords", "endOfList", "showMore", "delete", "cancel", "deleteRecording", "deleteAllConfirm", "deleted", "startDate", "endDate", "apply" };
    }
}
