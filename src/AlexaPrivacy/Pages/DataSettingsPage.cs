// "Manage Your Alexa Data": reads and changes its switches and the retention choice through the
// page, as a person would, in either page generation. Controls are found by role and whole label.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed class DataSettingsPage
    {
        public const string PageName = "Manage Your Alexa Data";

        private readonly AlexaSession _session;
        private readonly Action<string> _verbose;
        private readonly CancellationToken _cancel;
        private IPage _page;
        private LanguageLabels _labels;

        public string Generation { get; private set; }

        private DataSettingsPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            _session = session;
            _verbose = verbose ?? (_ => { });
            _cancel = cancel;
        }

        public static async Task<DataSettingsPage> OpenAsync(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            var page = new DataSettingsPage(session, verbose, cancel);
            await page.LoadAsync(reload: false);
            return page;
        }

        public static IEnumerable<string> SettingNames(SiteProfile profile) => profile.Settings.Keys;

        /// <summary>
        /// Opens the page and waits until it rendered Amazon's data. A throttled data request is
        /// tried again with backoff; a session Amazon ended meanwhile is signed in again once (when a
        /// password is at hand); a data request that never answers is a timeout, not a changed page.
        /// </summary>
        private async Task LoadAsync(bool reload)
        {
            // A bulk run signs in towards this page: when it already shows its data, loading it again would only cost a navigation.
            bool landed = !reload && _session.LandedOn == _session.Profile.Paths.Settings && _session.Page != null && !_session.Page.IsClosed;
            _session.LandedOn = null;
            _page = await SessionOpener.PageAsync(_session, _cancel);
            if (landed && await AlreadyRenderedAsync())
            {
                Generation = await PageTools.IsPresentAsync(MarkerButton()) ? "2019" : "2025";
                if (Generation == "2019") await OpenAllBoxesAsync();
                return;
            }
            bool signedInAgain = false;
            for (int attempt = 1; ; attempt++)
            {
                using (var watch = new DataRequestWatch(_page))
                {
                    bool typed = await SessionOpener.GoToAsync(_session, _session.Profile.Paths.Settings, _verbose, _cancel);
                    signedInAgain |= typed;
                    var outcome = await WaitForDataAsync(watch);
                    if (outcome == LoadOutcome.Rendered) break;
                    if (outcome == LoadOutcome.SessionEnded)
                    {
                        if (signedInAgain || !_session.CanSignIn)
                        {
                            throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                                signedInAgain
                                    ? $"Amazon ended the session of {_session.Account} again right after a new sign-in."
                                    : $"Amazon ended the session of {_session.Account} and no password is at hand to sign in again.")
                            { RecommendedAction = "Run Connect-AlexaAccount again (with -SessionPath to save the new sign-in)." };
                        }
                        _verbose($"Amazon ended the session of {_session.Account} while the {PageName} page loaded; signing in again.");
                        signedInAgain = true;
                        await WaitForNavigationToSettleAsync();
                        attempt--; // a new sign-in is not a throttled try
                        continue;
                    }
                    // Throttled
                    if (attempt >= Backoff.MaxAttempts)
                    {
                        throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                            $"Amazon kept answering {watch.ThrottledStatus} to the {PageName} page's data request for {_session.Account} after {attempt} tries.")
                        { RecommendedAction = "Wait a few minutes, or lower -ThrottleLimit. Running the command again is safe." };
                    }
                    var wait = Backoff.Delay(attempt);
                    _verbose($"Amazon answered {watch.ThrottledStatus} to the {PageName} page's data request for {_session.Account}; trying again in {wait.TotalSeconds:0.0} s.");
                    await Task.Delay(wait, _cancel);
                }
            }
            Generation = await PageTools.IsPresentAsync(MarkerButton()) ? "2019" : "2025";
            if (Generation == "2019") await OpenAllBoxesAsync();
        }

        private enum LoadOutcome { Rendered, Throttled, SessionEnded }

        /// <summary>
        /// Whether the page the sign-in landed on shows its settings. Its data request went out before
        /// anything watched it, so a page that shows Amazon's throttling words (or nothing known) is loaded again.
        /// </summary>
        private async Task<bool> AlreadyRenderedAsync()
        {
            _labels = PageTools.Labels(_session);
            var known = MarkerButton().Or(AnyKnownControl());
            var throttledWords = (PageTools.Labels(_session).SignIn ?? _session.Profile.LabelsFor(_session.Profile.FallbackLanguage).SignIn)?.Throttled;
            async Task<bool> Throttled()
            {
                if (throttledWords == null) return false;
                foreach (string words in throttledWords)
                {
                    if (await PageTools.IsPresentAsync(_page.GetByText(words))) return true;
                }
                return false;
            }
            bool settled = await PageTools.WaitUntilAsync(async () => await PageTools.IsPresentAsync(known) || await Throttled(),
                TimeSpan.FromSeconds(_session.Profile.Timeouts.NavigationSeconds), _cancel);
            return settled && await PageTools.IsPresentAsync(known);
        }

        private async Task<LoadOutcome> WaitForDataAsync(DataRequestWatch watch)
        {
            _labels = PageTools.Labels(_session);
            var heading = _page.GetByRole(AriaRole.Heading, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.Heading) });
            var timeout = TimeSpan.FromSeconds(_session.Profile.Timeouts.NavigationSeconds);
            if (!await PageTools.WaitUntilAsync(async () => watch.SessionEnded || await PageTools.IsVisibleAsync(heading), timeout, _cancel))
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"heading '{_labels.SettingsPage.Heading}'");
            }
            // The first HTML holds no settings: wait until the page rendered its data.
            var marker2019 = MarkerButton();
            var anyControl = AnyKnownControl();
            bool settled = await PageTools.WaitUntilAsync(
                async () => watch.SessionEnded || watch.ThrottledStatus != 0
                    || await PageTools.IsPresentAsync(marker2019) || await PageTools.IsPresentAsync(anyControl),
                timeout, _cancel);
            if (watch.SessionEnded) return LoadOutcome.SessionEnded;
            if (settled && (await PageTools.IsPresentAsync(marker2019) || await PageTools.IsPresentAsync(anyControl))) return LoadOutcome.Rendered;
            if (watch.ThrottledStatus != 0) return LoadOutcome.Throttled;
            if (watch.Unanswered > 0)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The {PageName} page for {_session.Account} did not get its data within {_session.Profile.Timeouts.NavigationSeconds} s: Amazon did not answer the page's request.")
                { RecommendedAction = "Run the command again later; raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here." };
            }
            throw await PageTools.PageChangedAsync(_page, _session, PageName, "setting this module knows (no label of the site profile was found)");
        }

        /// <summary>After a 401 the page sends itself to the sign-in page: let that navigation finish before navigating again.</summary>
        private async Task WaitForNavigationToSettleAsync()
        {
            try
            {
                await _page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = PageTools.NavigationTimeoutMs(_session) }).WithCancellation(_cancel);
            }
            catch (TimeoutException)
            {
                // GoToAsync navigates anyway and reports its own timeout.
            }
        }

        private ILocator MarkerButton()
        {
            string marker = _labels.Generations.TryGetValue("2019", out var g) && g.TryGetValue("marker", out var m) ? m : null;
            return _page.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(marker ?? "\u0000") });
        }

        private ILocator AnyKnownControl()
        {
            ILocator any = _page.GetByRole(AriaRole.Radiogroup, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.RetentionGroup) });
            foreach (var generation in _labels.Generations.Values)
            {
                foreach (var pair in generation.Where(p => p.Key != "marker"))
                {
                    any = any.Or(SwitchControl(pair.Value));
                }
            }
            return any;
        }

        /// <summary>In the 2019 generation a control exists only once its box is open: open every closed box.</summary>
        private Task OpenAllBoxesAsync() => OpenAllBoxesAsync(_page, _session, _cancel);

        internal static async Task OpenAllBoxesAsync(IPage page, AlexaSession session, CancellationToken cancel)
        {
            for (int round = 0; round < 20; round++)
            {
                var closed = page.Locator("button[aria-expanded='false']");
                if (await closed.CountAsync().WithCancellation(cancel) == 0) break;
                await closed.First.ClickAsync().WithCancellation(cancel);
            }
            // A box may fetch its controls when opened: wait until the page's requests have settled.
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = PageTools.NavigationTimeoutMs(session) }).WithCancellation(cancel);
            }
            catch (TimeoutException)
            {
                // Some pages poll forever; the controls are looked for all the same.
            }
        }

        private ILocator SwitchControl(string label) =>
            _page.GetByRole(AriaRole.Switch, new() { NameRegex = PageTools.WholeLabel(label) })
                .Or(_page.GetByRole(AriaRole.Checkbox, new() { NameRegex = PageTools.WholeLabel(label) }));

        private string SwitchLabel(string name)
        {
            if (_labels.Generations.TryGetValue(Generation, out var labels) && labels.TryGetValue(name, out var label)) return label;
            return null;
        }

        public string DisplayName(string name)
        {
            var definition = Definition(name);
            if (definition.Kind == "retention") return _labels.SettingsPage.RetentionGroup;
            return SwitchLabel(name) ?? name;
        }

        private SettingDefinition Definition(string name)
        {
            if (_session.Profile.Settings.TryGetValue(name, out var definition)) return definition;
            throw AlexaException.InvalidInput($"'{name}' is not a setting. Use one of: {string.Join(", ", _session.Profile.Settings.Keys)}.");
        }

        public async Task<AlexaDataSetting> ReadAsync(string name)
        {
            var definition = Definition(name);
            var setting = new AlexaDataSetting
            {
                Account = _session.Account,
                Marketplace = _session.Marketplace,
                Name = name,
                DisplayName = DisplayName(name),
                PageGeneration = Generation,
            };
            if (definition.Kind == "retention")
            {
                var value = await ReadRetentionAsync();
                setting.Value = value.ToString();
            }
            else
            {
                bool on = await ReadSwitchAsync(name);
                setting.Enabled = on;
                setting.Value = on ? "On" : "Off";
            }
            return setting;
        }

        private async Task<ILocator> FindSwitchAsync(string name)
        {
            string label = SwitchLabel(name);
            if (label == null)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"label for '{name}' in the site profile ({Generation} generation)", AlexaErrorId.SettingUnavailable);
            }
            var control = SwitchControl(label);
            int count = await control.CountAsync().WithCancellation(_cancel);
            if (count == 0)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"switch labelled '{label}' ({name})", AlexaErrorId.SettingUnavailable);
            }
            if (count > 1)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"single switch labelled '{label}' ({count} were found)");
            }
            return control;
        }

        private async Task<bool> ReadSwitchAsync(string name)
        {
            var control = await FindSwitchAsync(name);
            return await control.IsCheckedAsync().WithCancellation(_cancel);
        }

        private ILocator RetentionGroup() => _page.GetByRole(AriaRole.Radiogroup, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.RetentionGroup) });

        private async Task<VoiceRecordingRetention> ReadRetentionAsync()
        {
            var group = RetentionGroup();
            if (await group.CountAsync().WithCancellation(_cancel) == 0)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"choice '{_labels.SettingsPage.RetentionGroup}' (VoiceRecordingRetention)", AlexaErrorId.SettingUnavailable);
            }
            foreach (VoiceRecordingRetention value in Enum.GetValues(typeof(VoiceRecordingRetention)))
            {
                var radio = await RadioAsync(group, value);
                if (await radio.IsCheckedAsync().WithCancellation(_cancel)) return value;
            }
            throw await PageTools.PageChangedAsync(_page, _session, PageName, "chosen retention period (no option is selected)");
        }

        private async Task<ILocator> RadioAsync(ILocator group, VoiceRecordingRetention value)
        {
            string label = _labels.Retention.TryGetValue(value.ToString(), out var l) ? l : null;
            var radio = group.GetByRole(AriaRole.Radio, new() { NameRegex = PageTools.WholeLabel(label ?? value.ToString()) });
            if (label == null || await radio.CountAsync().WithCancellation(_cancel) != 1)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"option '{label ?? value.ToString()}' in '{_labels.SettingsPage.RetentionGroup}'");
            }
            return radio;
        }

        /// <summary>Flips a switch through the page (confirming "Turn Off" where the page asks), then reloads and checks what Amazon stored.</summary>
        public async Task SetSwitchAsync(string name, bool enabled)
        {
            var definition = Definition(name);
            if (definition.Kind != "switch") throw AlexaException.InvalidInput($"'{name}' is not a switch; use -Value.");
            await ApplyWithRetriesAsync(
                async () => await ReadSwitchAsync(name) == enabled,
                () => ClickSwitchAsync(name, enabled, definition));
            await VerifyStoredAsync(name, enabled ? "On" : "Off");
        }

        private async Task ClickSwitchAsync(string name, bool enabled, SettingDefinition definition)
        {
            var control = await FindSwitchAsync(name);
            _verbose($"Turning {(enabled ? "on" : "off")} '{SwitchLabel(name)}' for {_session.Account}.");
            bool needsConfirmation = !enabled && definition.ConfirmOff;
            if (needsConfirmation)
            {
                await control.ClickAsync().WithCancellation(_cancel);
                var dialog = _page.GetByRole(AriaRole.Dialog);
                var turnOff = dialog.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.TurnOff) });
                if (!await PageTools.WaitUntilAsync(() => PageTools.IsVisibleAsync(turnOff), TimeSpan.FromSeconds(_session.Profile.Timeouts.ActionSeconds), _cancel))
                {
                    throw await PageTools.PageChangedAsync(_page, _session, PageName, $"confirmation with a '{_labels.SettingsPage.TurnOff}' button after turning off '{SwitchLabel(name)}'");
                }
                await ClickAndWaitForSaveAsync(turnOff.First);
            }
            else
            {
                await ClickAndWaitForSaveAsync(control);
            }
            await WaitForShownStateAsync(() => ReadSwitchAsync(name), enabled, name);
        }

        /// <summary>Chooses a retention period and saves it, confirming the deletion of older recordings when the period is shorter.</summary>
        public async Task SetRetentionAsync(VoiceRecordingRetention value, VoiceRecordingRetention current)
        {
            await ApplyWithRetriesAsync(
                async () => await ReadRetentionAsync() == value,
                async () => await ChooseRetentionAsync(value, await ReadRetentionAsync()));
            await VerifyStoredAsync(AlexaSettingName.VoiceRecordingRetention, value.ToString());
        }

        private async Task ChooseRetentionAsync(VoiceRecordingRetention value, VoiceRecordingRetention current)
        {
            var group = RetentionGroup();
            var radio = await RadioAsync(group, value);
            _verbose($"Choosing '{_labels.Retention[value.ToString()]}' for {_session.Account}.");
            await radio.CheckAsync().WithCancellation(_cancel);
            var save = _page.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.Save) });
            if (await save.CountAsync().WithCancellation(_cancel) == 0)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"button '{_labels.SettingsPage.Save}' for the retention choice");
            }
            if (value < current)
            {
                await save.First.ClickAsync().WithCancellation(_cancel);
                var confirm = _page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(_labels.SettingsPage.Confirm) });
                if (!await PageTools.WaitUntilAsync(() => PageTools.IsVisibleAsync(confirm), TimeSpan.FromSeconds(_session.Profile.Timeouts.ActionSeconds), _cancel))
                {
                    throw await PageTools.PageChangedAsync(_page, _session, PageName, $"confirmation with a '{_labels.SettingsPage.Confirm}' button for a shorter retention");
                }
                await ClickAndWaitForSaveAsync(confirm.First);
            }
            else
            {
                await ClickAndWaitForSaveAsync(save.First);
            }
        }

        /// <summary>
        /// Makes a change through the page; when Amazon throttles it (429/503) or ends the session, reloads,
        /// re-reads the state (the change may have been stored after all) and tries again only if it is
        /// still needed: bounded tries with backoff, one new sign-in. Changes are idempotent, so this is safe.
        /// </summary>
        private async Task ApplyWithRetriesAsync(Func<Task<bool>> isDone, Func<Task> change)
        {
            bool signedInAgain = false;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await change();
                    return;
                }
                catch (AlexaException e) when (e.ErrorId == AlexaErrorId.RateLimited && attempt < Backoff.MaxAttempts)
                {
                    var wait = Backoff.Delay(attempt);
                    _verbose($"Amazon throttled the change for {_session.Account}; reading the state again and retrying in {wait.TotalSeconds:0.0} s.");
                    await Task.Delay(wait, _cancel);
                }
                catch (AlexaException e) when (e.ErrorId == AlexaErrorId.RateLimited && attempt >= Backoff.MaxAttempts)
                {
                    throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                        $"{e.Message.TrimEnd('.')} {attempt} times in a row; the change was not made.", e)
                    { RecommendedAction = e.RecommendedAction };
                }
                catch (AlexaException e) when (e.ErrorId == AlexaErrorId.SessionExpired && _session.CanSignIn && !signedInAgain)
                {
                    signedInAgain = true;
                    attempt--;
                    _verbose($"Amazon ended the session of {_session.Account} during the change; signing in again and reading the state first.");
                    await WaitForNavigationToSettleAsync();
                }
                await LoadAsync(reload: true);
                if (await isDone()) return;
            }
        }

        /// <summary>Clicks the control that makes the page send its change, and waits for the page's request to be answered.</summary>
        private async Task ClickAndWaitForSaveAsync(ILocator control)
        {
            try
            {
                var response = await _page.RunAndWaitForResponseAsync(
                    () => control.ClickAsync(),
                    r => r.Request.Method != "GET" && r.Request.ResourceType != "document",
                    new PageRunAndWaitForResponseOptions { Timeout = PageTools.NavigationTimeoutMs(_session) }).WithCancellation(_cancel);
                if (response.Status == 429 || response.Status == 503)
                {
                    throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                        $"Amazon answered {response.Status} to the change for {_session.Account}.")
                    { RecommendedAction = "Run the command again later: changes are idempotent." };
                }
                if (response.Status == 401 || response.Status == 403)
                {
                    throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                        $"Amazon refused the change for {_session.Account} ({response.Status}): the session ended.");
                }
            }
            catch (TimeoutException e)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The {PageName} page did not save the change for {_session.Account} within {_session.Profile.Timeouts.NavigationSeconds} s.", e);
            }
        }

        private async Task WaitForShownStateAsync(Func<Task<bool>> read, bool expected, string name)
        {
            bool shown = await PageTools.WaitUntilAsync(async () => await read() == expected,
                TimeSpan.FromSeconds(_session.Profile.Timeouts.ActionSeconds), _cancel);
            if (!shown)
            {
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"The page did not show {name} as {(expected ? "On" : "Off")} for {_session.Account} after the change.");
            }
        }

        /// <summary>Reloads the page and checks that Amazon stored <paramref name="expected"/>.</summary>
        private async Task VerifyStoredAsync(string name, string expected)
        {
            await LoadAsync(reload: true);
            var stored = await ReadAsync(name);
            if (!string.Equals(stored.Value, expected, StringComparison.OrdinalIgnoreCase))
            {
                string screenshot = await PageTools.CaptureAsync(_page, _session.Account, "change-not-persisted");
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"Amazon did not keep the change of {name} for {_session.Account}: after a reload the page shows {stored.Value}, not {expected}."
                    + (screenshot == null ? "" : $" A screenshot was saved to '{screenshot}'."))
                { ScreenshotPath = screenshot, RecommendedAction = "Run the command again; if it keeps failing, change the setting by hand and report it." };
            }
        }
    }
}
