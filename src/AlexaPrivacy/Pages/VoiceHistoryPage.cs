// "Review Voice History": reads records through the page's own data request (page by page, with
// the page's csrf token and cookies, bounded) and deletes only through the page's buttons, like a
// person. Filters may be selects, listboxes, menus or one combined menu; records may be any
// element holding a "Delete recording" button; the list grows with "Show more" or on scroll.
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
    internal sealed class VoiceHistoryPage : PrivacyPage
    {
        public const string PageName = "Review Voice History";

        /// <summary>More pages than this in one feed is a feed that does not end.</summary>
        private const int MaxFeedPages = 5000;

        private Dictionary<string, string> _labels;

        internal VoiceHistoryPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
            : base(session, verbose, cancel)
        {
            _labels = Labels?.VoiceHistory;
        }

        public override string Name => PageName;

        protected override string PagePath => Session.Profile.Paths.VoiceHistory;

        protected override string HeadingText => Label("heading");

        /// <summary>The list shows its first records, or says it has none.</summary>
        protected override async Task<bool> IsRenderedAsync()
        {
            var said = Page.GetByText(Label("endOfList"), new() { Exact = true }).Or(Page.GetByText(Label("noRecords"), new() { Exact = true }))
                .Or(Button(Label("showMore"))).Filter(new() { Visible = true });
            return await PageTools.IsPresentAsync(said) || await RecordCountAsync() > 0;
        }

        protected override string MissingWhenNotRendered => $"list of records (neither records nor '{Label("noRecords")}' showed)";

        public static async Task<VoiceHistoryPage> OpenAsync(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            var page = new VoiceHistoryPage(session, verbose, cancel);
            if (page._labels == null)
            {
                throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                    $"The site profile has no 'voiceHistory' labels for the page language {PageTools.PageLanguage(session)}.")
                { RecommendedAction = "Add languages.<language>.voiceHistory to the site profile override, or remove the override." };
            }
            await page.LoadAsync(reuse: true);
            return page;
        }

        private string Label(string key)
        {
            if (_labels != null && _labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label)) return label;
            throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                $"The site profile has no label 'voiceHistory.{key}' for the {PageName} page ({PageTools.PageLanguage(Session)}).")
            { RecommendedAction = "Add the label to the site profile override, or remove the override." };
        }

        private string OptionalLabel(string key) => _labels != null && _labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label) ? label : null;

        // ---- reading: the page's own data request -----------------------------------------------

        /// <summary>
        /// Streams the records between two instants (inclusive, Unix ms), newest first, one page of the
        /// feed at a time; stops when <paramref name="onPage"/> returns false.
        /// </summary>
        public async Task ReadAsync(long startMs, long endMs, Func<IReadOnlyList<AlexaVoiceRecord>, Task<bool>> onPage)
        {
            string token = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int pages = 0;
            do
            {
                string previous = token;
                var (records, next) = await RetryingAsync(() => FetchPageAsync(startMs, endMs, previous), reloadOnTransient: false, reloadOnSessionEnd: true);
                pages++;
                if (!await onPage(records)) return;
                if (next != null && !seen.Add(next))
                {
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, "next page of records (the feed repeated its paging token)");
                }
                if (pages >= MaxFeedPages && next != null)
                {
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, $"end of the records after {MaxFeedPages} pages of the feed");
                }
                token = next;
            }
            while (token != null);
            Verbose($"Read {pages} page(s) of voice history for {Session.Account}.");
        }

        /// <summary>Every record between two instants, for the deletions that must know what was there before.</summary>
        public async Task<List<AlexaVoiceRecord>> ReadAllAsync(long startMs, long endMs)
        {
            var all = new List<AlexaVoiceRecord>();
            await ReadAsync(startMs, endMs, page => { all.AddRange(page); return Task.FromResult(true); });
            return all;
        }

        // The fetch gives up by itself (AbortController); the .NET side bounds the whole call as well.
        private const string FetchScript = @"async ([url, body, ms]) => {
            const meta = document.querySelector('meta[name=""csrf-token""]');
            if (!meta) return '0\n';
            const abort = new AbortController();
            const timer = setTimeout(() => abort.abort(), ms);
            try {
                const r = await fetch(url, { method: 'POST', credentials: 'same-origin', redirect: 'follow', signal: abort.signal,
                    headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': meta.content }, body });
                return r.status + '\n' + await r.text();
            } catch (e) {
                return (e && e.name === 'AbortError' ? '-1' : '-2') + '\n';
            } finally {
                clearTimeout(timer);
            }
        }";

        private async Task<(List<AlexaVoiceRecord> Records, string Token)> FetchPageAsync(long startMs, long endMs, string token)
        {
            string url = new Uri(Session.BaseUri, Session.Profile.Paths.VoiceHistoryRecords).AbsoluteUri
                + $"?startTime={startMs.ToString(CultureInfo.InvariantCulture)}&endTime={endMs.ToString(CultureInfo.InvariantCulture)}&pageType=VOICE_HISTORY";
            string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["previousRequestToken"] = token });
            double ms = Session.Profile.Timeouts.NavigationSeconds * 1000;
            var call = Page.EvaluateAsync<string>(FetchScript, new object[] { url, body, ms });
            if (await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(ms + 5000), Cancel)).ConfigureAwait(false) != call)
            {
                _ = call.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                Cancel.ThrowIfCancellationRequested();
                throw Unanswered(null);
            }
            string answer;
            try
            {
                answer = await call;
            }
            catch (PlaywrightException e) when (e.Message.IndexOf("Execution context was destroyed", StringComparison.Ordinal) >= 0)
            {
                // The page left for the sign-in meanwhile.
                throw new SessionEndedFault("the voice history request");
            }
            int newline = answer.IndexOf('\n');
            int status = int.Parse(answer.Substring(0, newline), CultureInfo.InvariantCulture);
            string text = answer.Substring(newline + 1);
            if (status == -1) throw Unanswered(null);
            if (status == -2) throw new TransientFault(0, "the voice history request (the connection dropped)");
            if (ThrottlePolicy.IsTransient(status)) throw new TransientFault(status, "the voice history request");
            bool json = status == 200 && text.TrimStart().StartsWith("{", StringComparison.Ordinal);
            if (!json)
            {
                // A sign-in page or a refused csrf token: the session ended or the token rotated. Opening the
                // page again signs in when credentials are at hand and gives a fresh token.
                Verbose($"The voice history request for {Session.Account} was answered with {(status == 0 ? "no csrf token on the page" : status.ToString(CultureInfo.InvariantCulture))} and no records.");
                throw new SessionEndedFault("the voice history request");
            }
            try
            {
                return Parse(text);
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is KeyNotFoundException || e is FormatException)
            {
                throw new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                    $"The {PageName} data for {Session.Account} is not in the expected shape: {e.Message}", e);
            }
        }

        private AlexaException Unanswered(Exception inner) =>
            new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                $"Amazon did not answer the voice history request for {Session.Account} within {Session.Profile.Timeouts.NavigationSeconds} s.", inner)
            { RecommendedAction = "Run the command again later; raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here." };

        private (List<AlexaVoiceRecord>, string) Parse(string text)
        {
            using (var document = JsonDocument.Parse(text))
            {
                var root = document.RootElement;
                var records = new List<AlexaVoiceRecord>();
                if (root.TryGetProperty("customerHistoryRecords", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in list.EnumerateArray()) records.Add(ToRecord(item));
                }
                string token = root.TryGetProperty("encodedRequestToken", out var t) && t.ValueKind == JsonValueKind.String && t.GetString().Length > 0
                    ? t.GetString() : null;
                return (records, token);
            }
        }

        private AlexaVoiceRecord ToRecord(JsonElement item)
        {
            long timestamp = item.GetProperty("timestamp").GetInt64();
            string device = item.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("deviceName", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString() : null;
            string said = null, replacement = null, response = null;
            if (item.TryGetProperty("voiceHistoryRecordItems", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in items.EnumerateArray())
                {
                    string type = part.TryGetProperty("recordItemType", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
                    string value = part.TryGetProperty("transcriptText", out var tx) && tx.ValueKind == JsonValueKind.String ? tx.GetString() : null;
                    if (string.IsNullOrEmpty(value)) continue;
                    if (type == "CUSTOMER_TRANSCRIPT" && said == null) said = value;
                    else if (type == "ASR_REPLACEMENT_TEXT" && replacement == null) replacement = value;
                    else if (type == "ALEXA_RESPONSE" && response == null) response = value;
                }
            }
            return new AlexaVoiceRecord
            {
                Account = Session.Account,
                Key = item.GetProperty("recordKey").GetString(),
                TimestampMs = timestamp,
                Time = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).ToLocalTime(),
                Device = device,
                Transcript = said ?? replacement,
                Response = response,
                Type = said != null ? "CUSTOMER_TRANSCRIPT" : "ASR_REPLACEMENT_TEXT",
                Session = Session,
            };
        }

        // ---- the browser's calendar: the page's date filters mean local days of the browser -----

        /// <summary>The browser's local day (yyyy-MM-dd) of each instant.</summary>
        public Task<string[]> LocalDaysAsync(IEnumerable<long> instants) =>
            Page.EvaluateAsync<string[]>(@"list => list.map(ms => {
                const d = new Date(ms), p = n => (n < 10 ? '0' : '') + n;
                return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
            })", instants.Select(i => (double)i).ToArray()).WithCancellation(Cancel);

        /// <summary>The first and last millisecond of a local day of the browser.</summary>
        public async Task<(long Start, long End)> DayBoundsAsync(string day)
        {
            var bounds = await Page.EvaluateAsync<double[]>(@"day => {
                const p = day.split('-').map(Number);
                return [new Date(p[0], p[1] - 1, p[2]).getTime(), new Date(p[0], p[1] - 1, p[2] + 1).getTime() - 1];
            }", day).WithCancellation(Cancel);
            return ((long)bounds[0], (long)bounds[1]);
        }

        /// <summary>True when an instant is a local midnight of the browser, so that a day filter can express it.</summary>
        public Task<bool> IsLocalMidnightAsync(long instant) =>
            Page.EvaluateAsync<bool>(@"ms => { const d = new Date(ms);
                return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0; }", (double)instant).WithCancellation(Cancel);

        // ---- the filters: a select, a listbox, a menu, or one menu for both -----------------------

        /// <summary>A choice of a filter by its whole name, whatever the control: an option, a menu item.</summary>
        private ILocator Choice(string label, bool visibleOnly = true)
        {
            var name = PageTools.WholeLabel(label);
            var choice = Page.GetByRole(AriaRole.Option, new() { NameRegex = name, IncludeHidden = !visibleOnly })
                .Or(Page.GetByRole(AriaRole.Menuitemradio, new() { NameRegex = name, IncludeHidden = !visibleOnly }))
                .Or(Page.GetByRole(AriaRole.Menuitem, new() { NameRegex = name, IncludeHidden = !visibleOnly }));
            return visibleOnly ? choice.Filter(new() { Visible = true }) : choice;
        }

        /// <summary>A native select (or a combobox holding its options) that offers the choice.</summary>
        private ILocator SelectOffering(string label) =>
            Page.GetByRole(AriaRole.Combobox).Filter(new() { Visible = true })
                .Filter(new() { Has = Page.GetByRole(AriaRole.Option, new() { NameRegex = PageTools.WholeLabel(label), IncludeHidden = true }) });

        /// <summary>The controls that may reveal a choice: closed comboboxes and disclosure buttons.</summary>
        private ILocator Openers() =>
            Page.GetByRole(AriaRole.Combobox, new() { Expanded = false }).Or(Page.GetByRole(AriaRole.Button, new() { Expanded = false }))
                .Filter(new() { Visible = true });

        /// <summary>
        /// Makes the choice <paramref name="label"/> visible, opening the control that holds it when
        /// needed. Returns the kind of control: true for a native select (choose with SelectOption).
        /// </summary>
        private async Task<bool> RevealAsync(string label, string what)
        {
            if (await PageTools.IsPresentAsync(SelectOffering(label))) return true;
            if (await PageTools.IsPresentAsync(Choice(label))) return false;
            // Two passes: a view rendered anew while a menu was open closes it.
            for (int pass = 0; pass < 2; pass++)
            {
                int count = Math.Min(12, await Openers().CountAsync().WithCancellation(Cancel));
                for (int i = 0; i < count; i++)
                {
                    var opener = Openers().Nth(i);
                    if (!await PageTools.IsPresentAsync(opener)) break;
                    await ClickAsync(opener);
                    if (await PageTools.WaitUntilAsync(() => PageTools.IsPresentAsync(Choice(label)), TimeSpan.FromSeconds(2), Cancel)) return false;
                    if (await PageTools.IsPresentAsync(SelectOffering(label))) return true;
                    // Not this one: close it again.
                    await Page.Keyboard.PressAsync("Escape").WithCancellation(Cancel);
                }
            }
            throw await PageTools.PageChangedAsync(Page, Session, PageName, what);
        }

        private async Task ChooseAsync(string label, string what)
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
            string text = await select.GetByRole(AriaRole.Option, new() { NameRegex = PageTools.WholeLabel(label), IncludeHidden = true }).First.TextContentAsync();
            try
            {
                await select.SelectOptionAsync(new SelectOptionValue { Label = (text ?? label).Trim() }).WithCancellation(Cancel);
            }
            catch (PlaywrightException)
            {
                // A combobox that holds its listbox but is no <select>: open it and click the option.
                await ClickAsync(select);
                if (!await WaitForAsync(() => PageTools.IsPresentAsync(Choice(label))))
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, what);
                await ClickAsync(Choice(label).First);
            }
        }

        /// <summary>The device names the page's device filter offers.</summary>
        public async Task<IReadOnlyList<string>> DeviceChoicesAsync()
        {
            string all = Label("allDevices");
            bool native = await RevealAsync(all, $"device filter with '{all}'");
            var allDevices = native
                ? SelectOffering(all).First.GetByRole(AriaRole.Option, new() { NameRegex = PageTools.WholeLabel(all), IncludeHidden = true }).First
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
            return names.Select(PageTools.StripDecoration).Where(n => n.Length > 0 && !notDevices.Contains(n)).Distinct().ToList();
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
                    if (!await WaitForAsync(async () => await PageTools.IsPresentAsync(start) && await PageTools.IsPresentAsync(end)))
                    {
                        throw await PageTools.PageChangedAsync(Page, Session, PageName, $"date inputs '{Label("startDate")}' and '{Label("endDate")}'");
                    }
                    await FillDaysAsync(start, startDay, end, endDay);
                    string confirmedBy = await ConfirmRangeAsync(end);
                    // The list on screen counts only once the page asked for exactly these days and got its answer.
                    string wanted = $"{startDay} to {endDay}";
                    bool asked = await PageTools.WaitUntilAsync(() => Task.FromResult(
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

        /// <summary>
        /// Types both dates and checks that the fields hold them: a page that takes the first date when its
        /// field loses focus may draw its view anew while the second is typed, and a person types it again.
        /// </summary>
        private async Task FillDaysAsync(ILocator start, string startDay, ILocator end, string endDay)
        {
            for (int round = 1; ; round++)
            {
                bool startOk = await HoldsAsync(start, startDay), endOk = await HoldsAsync(end, endDay);
                if (startOk && endOk) return;
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
            }
        }

        private async Task<bool> HoldsAsync(ILocator input, string value)
        {
            try
            {
                return await PageTools.IsPresentAsync(input)
                    && await input.First.InputValueAsync(new() { Timeout = (float)ActionTimeout.TotalMilliseconds }).WithCancellation(Cancel) == value;
            }
            catch (PlaywrightException)
            {
                return false;
            }
        }

        private Task<AlexaException> PageChangedAsync(string missing) => PageTools.PageChangedAsync(Page, Session, PageName, missing);

        // A page may end a day at its last millisecond (inclusive) or at the next midnight (exclusive).
        private static bool IsDayEnd(long end, long expectedEnd) => end == expectedEnd || end == expectedEnd + 1;

        /// <summary>Confirms a typed range like a person: the "Apply" control when the page shows one, else Enter in the date field.</summary>
        private async Task<string> ConfirmRangeAsync(ILocator endInput)
        {
            string apply = OptionalLabel("apply");
            if (apply != null)
            {
                var button = Button(apply).Filter(new() { Visible = true });
                if (await PageTools.IsPresentAsync(button))
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
            if (await PageTools.WaitUntilAsync(() => Task.FromResult(watch.Unanswered == 0), NavigationTimeout, Cancel)) return;
            if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
            throw await PageTools.PageChangedAsync(Page, Session, PageName,
                $"answer to its own request within {Session.Profile.Timeouts.NavigationSeconds} s after {after}", AlexaErrorId.Timeout);
        }

        private async Task<AlexaException> RangeNotAppliedAsync(string wanted, string confirmedBy, FeedRequest last)
        {
            string seen = last == null
                ? "it sent no request for records at all"
                : $"its last request asked for {Instant(last.StartMs)} to {Instant(last.EndMs)}{(last.Answered ? "" : ", unanswered")}";
            var error = await PageTools.PageChangedAsync(Page, Session, PageName,
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
            throw await PageTools.PageChangedAsync(Page, Session, PageName,
                $"list of '{device}' alone after choosing it: {others.Count} record(s) shown name another device; nothing was counted or deleted");
        }

        /// <summary>Saves a screenshot of the page as it is now (for an error about it); null when none could be taken.</summary>
        public Task<string> CaptureAsync(string what) => PageTools.CaptureAsync(Page, Session.Account, what);

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
            private readonly IPage _page;
            private readonly string _path;
            private readonly object _sync = new object();
            private FeedRequest _last;

            public FeedWatch(IPage page, string path)
            {
                _page = page;
                _path = path;
                _page.Request += OnRequest;
                _page.RequestFinished += OnDone;
                _page.RequestFailed += OnDone;
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
                long start = QueryMs(uri.Query, "startTime"), end = QueryMs(uri.Query, "endTime");
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

            private static long QueryMs(string query, string name)
            {
                foreach (var part in query.TrimStart('?').Split('&'))
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

            public void Dispose()
            {
                _page.Request -= OnRequest;
                _page.RequestFinished -= OnDone;
                _page.RequestFailed -= OnDone;
            }
        }

        // ---- the records on screen --------------------------------------------------------------

        /// <summary>Every "Delete recording" button, shown or inside a closed record.</summary>
        private ILocator DeleteButtons() =>
            Page.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(Label("deleteRecording")), IncludeHidden = true });

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
                bool ready = await PageTools.WaitUntilAsync(async () =>
                    await PageTools.IsPresentAsync(end) || await IsEnabledNowAsync(more) || (watch.TransientStatus != 0 && watch.Unanswered == 0),
                    TimeSpan.FromSeconds(round == 0 ? Session.Profile.Timeouts.NavigationSeconds : 2), Cancel);
                if (await PageTools.IsPresentAsync(end)) return await RecordCountAsync();
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
                bool grew = await PageTools.WaitUntilAsync(async () => await PageTools.IsPresentAsync(end) || await RecordCountAsync() > before || await IsEnabledNowAsync(more),
                    NavigationTimeout, Cancel);
                if (!grew)
                {
                    if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {PageName} page");
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, $"'{Label("showMore")}' or '{Label("endOfList")}' at the end of the list", AlexaErrorId.Timeout);
                }
            }
            throw await PageTools.PageChangedAsync(Page, Session, PageName, $"'{Label("endOfList")}' after 2000 rounds of '{Label("showMore")}'");
        }

        /// <summary>Whether a button is there and enabled at this moment; the page replaces "Show more" when its data arrives, so never wait for it.</summary>
        private static async Task<bool> IsEnabledNowAsync(ILocator button)
        {
            try
            {
                return await PageTools.IsPresentAsync(button) && await button.First.IsEnabledAsync(new() { Timeout = 500 });
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
                if (!await WaitForAsync(() => PageTools.IsPresentAsync(deleteAll)))
                {
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, $"button '{Label("deleteAll")}'");
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
                    throw await PageTools.PageChangedAsync(Page, Session, PageName, $"record number {index + 1} (only {before} are shown)");
                }
                string text = records[index].Text;
                bool sameDevice = string.IsNullOrEmpty(expected.Device) || text.Contains(expected.Device);
                bool sameWords = expected.Type != "CUSTOMER_TRANSCRIPT" || text.Contains("\"" + expected.Transcript + "\"") || text.Contains("\u201C" + expected.Transcript + "\u201D");
                if (!sameDevice || !sameWords)
                {
                    throw await PageTools.PageChangedAsync(Page, Session, PageName,
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
            if (await PageTools.IsPresentAsync(summary))
            {
                await ClickAsync(summary.First);
            }
            else
            {
                var disclosure = button.Locator("xpath=ancestor::*[.//*[@aria-expanded='false']][1]").GetByRole(AriaRole.Button, new() { Expanded = false }).Filter(new() { Visible = true });
                if (await PageTools.IsPresentAsync(disclosure)) await ClickAsync(disclosure.First);
            }
            if (!await WaitForAsync(() => button.IsVisibleAsync()))
            {
                throw await PageTools.PageChangedAsync(Page, Session, PageName, $"visible '{Label("deleteRecording")}' button once the record is opened");
            }
        }
    }
}
