// "Review Voice History": its filters (a select, a listbox, a menu, or one menu for both) chosen as a
// person chooses them, and the page's own data requests watched to know which range it shows.
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
        // ---- the filters: a select, a listbox, a menu, or one menu for both -----------------------

        /// <summary>A choice of a filter by its whole name, whatever the control: an option, a menu item.</summary>
        internal ILocator Choice(string label, bool visibleOnly = true)
        {
            var name = PageText.WholeLabel(label);
            var choice = Page.GetByRole(AriaRole.Option, new() { NameRegex = name, IncludeHidden = !visibleOnly })
                .Or(Page.GetByRole(AriaRole.Menuitemradio, new() { NameRegex = name, IncludeHidden = !visibleOnly }))
                .Or(Page.GetByRole(AriaRole.Menuitem, new() { NameRegex = name, IncludeHidden = !visibleOnly }));
            return visibleOnly ? choice.Filter(new() { Visible = true }) : choice;
        }

        /// <summary>A native select (or a combobox holding its options) that offers the choice.</summary>
        internal ILocator SelectOffering(string label) =>
            Page.GetByRole(AriaRole.Combobox).Filter(new() { Visible = true })
                .Filter(new() { Has = Page.GetByRole(AriaRole.Option, new() { NameRegex = PageText.WholeLabel(label), IncludeHidden = true }) });

        /// <summary>The controls that may reveal a choice: closed comboboxes and disclosure buttons.</summary>
        internal ILocator Openers() =>
            Page.GetByRole(AriaRole.Combobox, new() { Expanded = false }).Or(Page.GetByRole(AriaRole.Button, new() { Expanded = false }))
                .Filter(new() { Visible = true });

        /// <summary>
        /// Makes the choice <paramref name="label"/> visible, opening the control that holds it when
        /// needed. Returns the kind of control: true for a native select (choose with SelectOption).
        /// </summary>
        private async Task<bool> RevealAsync(string label, string what)
        {
            if (await Waits.IsPresentAsync(SelectOffering(label))) return true;
            if (await Waits.IsPresentAsync(Choice(label))) return false;
            // Two passes: a view rendered anew while a menu was open closes it.
            for (int pass = 0; pass < 2; pass++)
            {
                int count = Math.Min(12, await Openers().CountAsync().WithCancellation(Cancel));
                for (int i = 0; i < count; i++)
                {
                    var opener = Openers().Nth(i);
                    if (!await Waits.IsPresentAsync(opener)) break;
                    await ClickAsync(opener);
                    if (await Waits.WaitUntilAsync(() => Waits.IsPresentAsync(Choice(label)), TimeSpan.FromSeconds(2), Cancel)) return false;
                    if (await Waits.IsPresentAsync(SelectOffering(label))) return true;
                    // Not this one: close it again.
                    await Page.Keyboard.PressAsync("Escape").WithCancellation(Cancel);
                }
            }
            throw await PageErrors.PageChangedAsync(Page, Session, PageName, what);
        }

        internal async Task ChooseAsync(string label, string what)
        {
            // The page may render its view anew (closing an open menu) when an earlier choice's data
            // arrives: reveal the choice again when it went away before the click.
            for (int attempt = 1; ; attempt++)
            {
                if (await RevealAsync(label, what))
                {
                    await SelectAsync(label, what);
                    return;
                }
                try
                {
                    await Choice(label).First.ClickAsync(new() { Timeout = 3_000 }).WithCancellation(Cancel);
                    return;
                }
                catch (TimeoutException) when (attempt < 3)
                {
                    // Gone before the click: the next round reveals it again.
                }
            }
        }

        private async Task SelectAsync(string label, string what)
        {
            var select = SelectOffering(label).First;
            string text = await select.GetByRole(AriaRole.Option, new() { NameRegex = PageText.WholeLabel(label), IncludeHidden = true }).First.TextContentAsync();
            try
            {
                await select.SelectOptionAsync(new SelectOptionValue { Label = (text ?? label).Trim() }).WithCancellation(Cancel);
            }
            catch (PlaywrightException)
            {
                // A combobox that holds its listbox but is no <select>: open it and click the option.
                await ClickAsync(select);
                if (!await WaitForAsync(() => Waits.IsPresentAsync(Choice(label))))
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, what);
                await ClickAsync(Choice(label).First);
            }
        }

        /// <summary>The device names the page's device filter offers.</summary>
        public async Task<IReadOnlyList<string>> DeviceChoicesAsync()
        {
            string all = Label("allDevices");
            bool native = await RevealAsync(all, $"device filter with '{all}'");
            var allDevices = native
                ? SelectOffering(all).First.GetByRole(AriaRole.Option, new() { NameRegex = PageText.WholeLabel(all), IncludeHidden = true }).First
                : Choice(all).First;
            // The devices are the choices beside "All devices": in its group when a menu holds both filters.
            var names = await allDevices.EvaluateAsync<string[]>(@"el => {
                const roleOf = e => e.getAttribute('role') || (e.tagName === 'OPTION' ? 'option' : '');
                const role = roleOf(el);
                const groupRoles = ['group', 'listbox', 'menu', 'radiogroup'];
                let group = el.parentElement;
                while (group && group.tagName !== 'SELECT' && !groupRoles.includes(group.getAttribute('role') || '') && group !== document.body) group = group.parentElement;
                if (!group) return [];
                const items = Array.from(group.querySelectorAll('*')).filter(e => roleOf(e) === role);
                return items.map(e => (e.getAttribute('aria-label') || e.textContent || '').trim());
            }").WithCancellation(Cancel);
            if (!native) await Page.Keyboard.PressAsync("Escape").WithCancellation(Cancel);
            var notDevices = new HashSet<string>(new[] { "allDevices", "filterToday", "filterYesterday", "filterLast7Days", "filterLast30Days", "filterAllHistory", "filterCustom" }
                .Select(OptionalLabel).Where(l => l != null), StringComparer.Ordinal);
            return names.Select(PageText.StripDecoration).Where(n => n.Length > 0 && !notDevices.Contains(n)).Distinct().ToList();
        }

        /// <summary>
        /// Sets the page's filters to the local days <paramref name="startDay"/>..<paramref name="endDay"/>
        /// (Custom) and a device (null: all devices) the way a person does, confirms the range ("Apply"
        /// when the page has it, else Enter in a date field), then shows the whole list and returns how many
        /// records it shows. The filter counts only once verified: the page's own data request asked for
        /// exactly those days, and every record shown is of that device. A wait that runs out is an error.
        /// </summary>
        public Task<int> FilterAsync(string startDay, string endDay, string device) =>
            RetryingAsync(async () =>
            {
                var (expectedStart, _) = await DayBoundsAsync(startDay);
                var (_, expectedEnd) = await DayBoundsAsync(endDay);
                using (var watch = new PageLoadWatch(Page))
                using (var feed = new FeedWatch(Page, Session.Profile.Paths.VoiceHistoryRecords))
                {
                    string deviceLabel = device ?? Label("allDevices");
                    await ChooseAsync(deviceLabel, $"device filter with '{deviceLabel}'");
                    // The page may ask for the records of that choice and render its view anew: let it.
                    await SettleAsync(watch, $"choosing '{deviceLabel}'");
                    // "Today" first: choosing "Custom" then always changes the date filter, so the page's request
                    // for the days asked is one sent now, never an earlier one that happened to match.
                    await ChooseAsync(Label("filterToday"), $"date filter with '{Label("filterToday")}'");
                    await SettleAsync(watch, $"choosing '{Label("filterToday")}'");
                    await ChooseAsync(Label("filterCustom"), $"date filter with '{Label("filterCustom")}'");
                    await SettleAsync(watch, $"choosing '{Label("filterCustom")}'");
                    var start = Page.GetByLabel(Label("startDate"), new() { Exact = true }).Filter(new() { Visible = true });
                    var end = Page.GetByLabel(Label("endDate"), new() { Exact = true }).Filter(new() { Visible = true });
                    if (!await WaitForAsync(async () => await Waits.IsPresentAsync(start) && await Waits.IsPresentAsync(end)))
                    {
                        throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"date inputs '{Label("startDate")}' and '{Label("endDate")}'");
                    }
                    await FillDaysAsync(start, startDay, end, endDay);
                    string confirmedBy = await ConfirmRangeAsync(end);
                    // The list on screen counts only once the page asked for exactly these days and got its answer.
                    string wanted = $"{startDay} to {endDay}";
                    bool asked = await Waits.WaitUntilAsync(() => Task.FromResult(
                        feed.LastFirstPage is FeedRequest last && last.StartMs == expectedStart && IsDayEnd(last.EndMs, expectedEnd) && last.Answered && watch.Unanswered == 0),
                        NavigationTimeout, Cancel);
                    if (!asked)
                    {
                        if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
                        var last = feed.LastFirstPage;
                        throw await RangeNotAppliedAsync(wanted, confirmedBy, last);
                    }
                    int shown = await ShowWholeListAsync(watch);
                    var final = feed.LastFirstPage;
                    if (final == null || final.StartMs != expectedStart || !IsDayEnd(final.EndMs, expectedEnd))
                    {
                        throw await RangeNotAppliedAsync(wanted, confirmedBy, final);
                    }
                    if (device != null) await CheckShownDeviceAsync(device);
                    Verbose($"The {PageName} page shows {shown} record(s) for {wanted}{(device == null ? "" : $" on '{device}'")}, as its own data request confirms ({confirmedBy}).");
                    return shown;
                }
            }, reloadOnTransient: true, reloadOnSessionEnd: true);

        /// <summary>The page as it is on screen now, for its range step (FillDaysAsync, ConfirmRangeAsync) in the compatibility check, which shows the page itself.</summary>
        internal static VoiceHistoryPage AsShown(AlexaSession session, IPage page, Action<string> verbose, CancellationToken cancel)
        {
            var shown = new VoiceHistoryPage(session, verbose, cancel);
            shown.Adopt(page);
            return shown;
        }

        /// <summary>
        /// Types both dates and checks that the fields hold them: a page that takes the first date when its
        /// field loses focus may draw its view anew while the second is typed, and a person types it again.
        /// </summary>
        internal async Task FillDaysAsync(ILocator start, string startDay, ILocator end, string endDay)
        {
            // A field that takes its date on leaving it may make the page ask for its list and draw the view
            // anew when that answer comes: the fields are judged again once the page has had its answers
            // (at most a few seconds in all, so that a request that never ends does not hold it).
            using (var watch = new PageLoadWatch(Page))
            {
                for (int round = 1; ; round++)
                {
                    if (round > 1) await Waits.WaitUntilAsync(() => Task.FromResult(!watch.Busy(TypingSettleBudget)), TypingSettleBudget, Cancel, watch.NextChange);
                    if (await FillRoundAsync(round, start, startDay, end, endDay)) return;
                }
            }
        }

        /// <summary>How long the page's own requests after typing may keep the typed fields from being judged again.</summary>
        private static readonly TimeSpan TypingSettleBudget = TimeSpan.FromSeconds(3);

        /// <summary>One look at both fields and, where one does not hold its day, typing it again; true once both hold theirs.</summary>
        private async Task<bool> FillRoundAsync(int round, ILocator start, string startDay, ILocator end, string endDay)
        {
            bool startOk = await HoldsAsync(start, startDay), endOk = await HoldsAsync(end, endDay);
            if (startOk && endOk) return true;
            if (round > 3)
            {
                throw await PageChangedAsync($"date inputs that keep what is typed in them ('{startDay}', '{endDay}')");
            }
            try
            {
                if (!startOk) await start.First.FillAsync(startDay, new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel);
                if (!endOk || !startOk) await end.First.FillAsync(endDay, new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel);
            }
            catch (PlaywrightException)
            {
                // The field was drawn anew while typing: the next round looks at the new one.
            }
            return false;
        }

        private async Task<bool> HoldsAsync(ILocator input, string value)
        {
            try
            {
                return await Waits.IsPresentAsync(input)
                    && await input.First.InputValueAsync(new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel) == value;
            }
            catch (PlaywrightException)
            {
                return false;
            }
        }

        private Task<AlexaException> PageChangedAsync(string missing) => PageErrors.PageChangedAsync(Page, Session, PageName, missing);

        // A page may end a day at its last millisecond (inclusive) or at the next midnight (exclusive).
        private static bool IsDayEnd(long end, long expectedEnd) => end == expectedEnd || end == expectedEnd + 1;

        /// <summary>Confirms a typed range like a person: the "Apply" control when the page shows one, else Enter in the date field.</summary>
        internal async Task<string> ConfirmRangeAsync(ILocator endInput)
        {
            string apply = OptionalLabel("apply");
            if (apply != null)
            {
                var button = Button(apply).Filter(new() { Visible = true });
                if (await Waits.IsPresentAsync(button))
                {
                    await ClickAsync(button.First);
                    return $"'{apply}' pressed";
                }
            }
            try
            {
                await endInput.First.PressAsync("Enter", new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel);
                // Then leave the field, as a person moves on: a page that takes a field's value on its change
                // (a text field commits when it loses focus) has it now.
                await endInput.First.BlurAsync(new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel);
            }
            catch (Exception e) when (e is PlaywrightException || e is TimeoutException)
            {
                // The page took the range and drew its view anew: the field is gone, which is no fault.
            }
            return "Enter pressed in the date field";
        }

        /// <summary>Waits (bounded) until the page's requests are answered; running out is an error, never a silent go-on.</summary>
        private async Task SettleAsync(PageLoadWatch watch, string after)
        {
            if (await Waits.WaitUntilAsync(() => Task.FromResult(watch.Unanswered == 0), NavigationTimeout, Cancel)) return;
            if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
            throw await PageErrors.PageChangedAsync(Page, Session, PageName,
                $"answer to its own request within {Session.Profile.Timeouts.NavigationSeconds} s after {after}", AlexaErrorId.Timeout);
        }

        private async Task<AlexaException> RangeNotAppliedAsync(string wanted, string confirmedBy, FeedRequest last)
        {
            string seen = last == null
                ? "it sent no request for records at all"
                : $"its last request asked for {Instant(last.StartMs)} to {Instant(last.EndMs)}{(last.Answered ? "" : ", unanswered")}";
            var error = await PageErrors.PageChangedAsync(Page, Session, PageName,
                $"list for {wanted}: after the dates were typed and {confirmedBy}, {seen}; nothing was counted or deleted",
                last == null || !last.Answered ? AlexaErrorId.Timeout : AlexaErrorId.PageChanged);
            error.RecommendedAction = "Running the command again fails the same way until the page takes the range: compare the screenshot with the site profile's "
                + "voiceHistory labels; a confirm button of another name goes into voiceHistory.apply of a site profile override ($env:ALEXAPRIVACY_SITE_PROFILE).";
            return error;
        }

        private static string Instant(long ms) =>
            ms < 0 ? "(none)" : DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

        /// <summary>Every record shown must be of the device chosen: the page may filter in the browser, on the records it loaded, or not at all.</summary>
        private async Task CheckShownDeviceAsync(string device)
        {
            var others = (await RecordsAsync()).Where(r => r.Text.IndexOf(device, StringComparison.OrdinalIgnoreCase) < 0).ToList();
            if (others.Count == 0) return;
            throw await PageErrors.PageChangedAsync(Page, Session, PageName,
                $"list of '{device}' alone after choosing it: {others.Count} record(s) shown name another device; nothing was counted or deleted");
        }

        /// <summary>Saves a screenshot of the page as it is now (for an error about it); null when none could be taken.</summary>
        public Task<string> CaptureAsync(string what) => PageErrors.CaptureAsync(Page, Session.Account, what);

        /// <summary>A whole number (milliseconds) of a feed request's query, or -1.</summary>
        internal static long QueryMs(Uri uri, string name)
        {
            foreach (var part in uri.Query.TrimStart('?').Split('&'))
            {
                int eq = part.IndexOf('=');
                if (eq > 0 && Uri.UnescapeDataString(part.Substring(0, eq)) == name
                    && long.TryParse(Uri.UnescapeDataString(part.Substring(eq + 1)), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                {
                    return value;
                }
            }
            return -1;
        }

        /// <summary>One request of the page for records: its range, whether it was the first page, whether it was answered.</summary>
        private sealed class FeedRequest
        {
            public long StartMs;
            public long EndMs;
            public IRequest Request;
            public volatile bool Answered;
        }

        /// <summary>
        /// Watches the page's own requests to the records feed: the range of the last first-page request
        /// (previousRequestToken null) is the range the list shows.
        /// </summary>
        private sealed class FeedWatch : IDisposable
        {
            private readonly PageNetwork _network;
            private readonly string _path;
            private readonly object _sync = new object();
            private FeedRequest _last;

            public FeedWatch(IPage page, string path)
            {
                _network = PageNetwork.Of(page);
                _path = path;
                _network.Request += OnRequest;
                _network.RequestFinished += OnDone;
                _network.RequestFailed += OnDone;
            }

            public FeedRequest LastFirstPage
            {
                get { lock (_sync) return _last; }
            }

            private void OnRequest(object sender, IRequest request)
            {
                if (request.Method != "POST" || !Uri.TryCreate(request.Url, UriKind.Absolute, out var uri)
                    || !uri.AbsolutePath.EndsWith(_path, StringComparison.Ordinal)) return;
                if (!IsFirstPage(request.PostData)) return;
                long start = QueryMs(uri, "startTime"), end = QueryMs(uri, "endTime");
                lock (_sync) _last = new FeedRequest { StartMs = start, EndMs = end, Request = request };
            }

            private void OnDone(object sender, IRequest request)
            {
                lock (_sync)
                {
                    if (_last != null && ReferenceEquals(_last.Request, request)) _last.Answered = true;
                }
            }

            private static bool IsFirstPage(string body)
            {
                if (string.IsNullOrWhiteSpace(body)) return true;
                try
                {
                    using (var document = JsonDocument.Parse(body))
                    {
                        return !(document.RootElement.ValueKind == JsonValueKind.Object
                            && document.RootElement.TryGetProperty("previousRequestToken", out var token)
                            && token.ValueKind == JsonValueKind.String && token.GetString().Length > 0);
                    }
                }
                catch (JsonException)
                {
                    return false;
                }
            }

            public void Dispose()
            {
                _network.Request -= OnRequest;
                _network.RequestFinished -= OnDone;
                _network.RequestFailed -= OnDone;
            }
        }
    }
}
