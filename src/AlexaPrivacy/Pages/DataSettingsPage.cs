// "Manage Your Alexa Data": reads and changes its switches and the retention choice through the
// page, as a person would, in either page generation. Controls are found by role and whole label,
// and only when visible; nothing is held across actions, since the page may render its view anew.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    /// <summary>The two generations of the settings page (contract 3.2).</summary>
    internal enum PageGeneration
    {
        Y2025,
        /// <summary>Every section is a box whose heading button opens it.</summary>
        Y2019,
    }

    internal sealed class DataSettingsPage : PrivacyPage
    {
        public const string PageName = "Manage Your Alexa Data";

        private PageGeneration _generation;

        internal DataSettingsPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
            : base(session, verbose, cancel)
        {
        }

        public override string Name => PageName;

        protected override string PagePath => Session.Profile.Paths.Settings;

        protected override string HeadingText => Labels.SettingsPage.Heading;

        /// <summary>"2025" or "2019", as the site profile names the generations.</summary>
        public string Generation => GenerationName(_generation);

        private static string GenerationName(PageGeneration generation) => generation == PageGeneration.Y2019 ? "2019" : "2025";

        public static async Task<DataSettingsPage> OpenAsync(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            var page = new DataSettingsPage(session, verbose, cancel);
            // A bulk run signs in towards this page: the landing has just found it shown (and opened the
            // 2019 boxes), so it is taken over as it is; the reads still wait for their controls.
            var landed = TakeLanded<DataSettingsPage>(session);
            if (landed != null)
            {
                page.Adopt(landed.Page);
                page._generation = landed._generation;
                return page;
            }
            // When it already shows its data, loading it again would only cost a navigation.
            await page.LoadAsync(reuse: true);
            return page;
        }

        public static IEnumerable<string> SettingNames(SiteProfile profile) => profile.Settings.Keys;

        // One question for both generations: a control this module knows, or the 2019 page's marker box.
        protected override ILocator RenderedControls() => AnyKnownControl().Or(MarkerButton());

        // The 2025 page (a known control, no 2019 marker) is known with its generation in the look that finds it rendered.
        protected override (ILocator Shows, ILocator Absent)? PlainRendered() => (AnyKnownControl(), MarkerButton());

        protected override async Task AfterLoadAsync()
        {
            _generation = LookedPlain || !await Waits.IsPresentAsync(MarkerButton()) ? PageGeneration.Y2025 : PageGeneration.Y2019;
            if (_generation == PageGeneration.Y2019) await OpenAllBoxesAsync();
        }

        protected override string MissingWhenNotRendered => "setting this module knows (no label of the site profile was found)";

        private ILocator MarkerButton()
        {
            string marker = Labels.Generations.TryGetValue("2019", out var g) && g.TryGetValue("marker", out var m) ? m : null;
            return Button(marker ?? "\u0000");
        }

        private ILocator AnyKnownControl()
        {
            ILocator any = RetentionGroup();
            foreach (var generation in Labels.Generations.Values)
            {
                foreach (var pair in generation.Where(p => p.Key != "marker"))
                {
                    any = any.Or(SwitchControl(pair.Value));
                }
            }
            return any;
        }

        /// <summary>The boxes of the 2019 page: buttons (native or ARIA) that open a section and are closed.</summary>
        private static ILocator ClosedBoxes(IPage page) =>
            page.GetByRole(AriaRole.Button, new() { Expanded = false }).Filter(new() { Visible = true })
                .And(page.Locator(":not([aria-haspopup])"));

        /// <summary>In the 2019 generation a control exists only once its box is open: opens every closed box.</summary>
        private Task OpenAllBoxesAsync() => OpenAllBoxesAsync(Page, Session, Cancel);

        internal static async Task OpenAllBoxesAsync(IPage page, AlexaSession session, CancellationToken cancel)
        {
            for (int round = 0; round < 20; round++)
            {
                var closed = ClosedBoxes(page);
                int before = await closed.CountAsync().WithCancellation(cancel);
                if (before == 0) break;
                try
                {
                    await closed.First.ClickAsync(new() { Timeout = (float)(session.Profile.Timeouts.ActionSeconds * 500) }).WithCancellation(cancel);
                }
                catch (TimeoutException)
                {
                    await closed.First.DispatchEventAsync("click").WithCancellation(cancel);
                }
                // The page may render the box a moment later, or render the whole view anew.
                await Waits.WaitUntilAsync(async () => await ClosedBoxes(page).CountAsync() < before, TimeSpan.FromSeconds(session.Profile.Timeouts.ActionSeconds / 3), cancel);
            }
        }

        private ILocator SwitchControl(string label) =>
            Page.GetByRole(AriaRole.Switch, new() { NameRegex = PageText.WholeLabel(label) })
                .Or(Page.GetByRole(AriaRole.Checkbox, new() { NameRegex = PageText.WholeLabel(label) }))
                .Filter(new() { Visible = true });

        private string SwitchLabel(string name)
        {
            if (Labels.Generations.TryGetValue(Generation, out var labels) && labels.TryGetValue(name, out var label)) return label;
            return null;
        }

        public string DisplayName(string name)
        {
            if (Kind(name) == SettingKind.Retention) return Labels.SettingsPage.RetentionGroup;
            return SwitchLabel(name) ?? name;
        }

        private SettingDefinition Definition(string name)
        {
            if (Session.Profile.Settings.TryGetValue(name, out var definition)) return definition;
            throw AlexaException.InvalidInput($"'{name}' is not a setting. Use one of: {string.Join(", ", Session.Profile.Settings.Keys)}.");
        }

        private SettingKind Kind(string name) => SettingRequest.KindOf(Definition(name));

        public async Task<AlexaDataSetting> ReadAsync(string name)
        {
            var setting = new AlexaDataSetting
            {
                Account = Session.Account,
                Marketplace = Session.Marketplace,
                Name = name,
                DisplayName = DisplayName(name),
                PageGeneration = Generation,
            };
            if (Kind(name) == SettingKind.Retention)
            {
                setting.Value = (await ReadRetentionAsync()).ToString();
            }
            else
            {
                bool on = await ReadSwitchAsync(name);
                setting.Enabled = on;
                setting.Value = on ? "On" : "Off";
            }
            return setting;
        }

        /// <summary>Finds a control, opening the 2019 boxes again when the page closed them (a new render).</summary>
        private async Task<bool> AppearsAsync(ILocator control)
        {
            if (await Waits.IsPresentAsync(control)) return true;
            if (_generation == PageGeneration.Y2019) await OpenAllBoxesAsync();
            // A box may fetch its controls when opened.
            return await Waits.WaitUntilAsync(() => Waits.IsPresentAsync(control),
                TimeSpan.FromSeconds(Math.Min(5, Session.Profile.Timeouts.ActionSeconds)), Cancel);
        }

        private async Task<ILocator> FindSwitchAsync(string name)
        {
            string label = SwitchLabel(name);
            if (label == null)
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"label for '{name}' in the site profile ({Generation} generation)", AlexaErrorId.SettingUnavailable);
            }
            var control = SwitchControl(label);
            int count = await Waits.CountAsync(control, Cancel);
            if (count == 0)
            {
                if (!await AppearsAsync(control))
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, Name, $"switch labelled '{label}' ({name})", AlexaErrorId.SettingUnavailable);
                }
                count = await control.CountAsync().WithCancellation(Cancel);
            }
            if (count > 1)
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"single switch labelled '{label}' ({count} were found)");
            }
            return control.First;
        }

        private async Task<bool> ReadSwitchAsync(string name) => (await SwitchStateAsync(name)).On;

        /// <summary>How long the one-question read waits for its switch before the full search takes over.</summary>
        private const float QuickReadMs = 250;

        /// <summary>
        /// The switch and whether it is on. Where the page shows exactly one (the usual case) that is one
        /// question: Playwright's strict read fails on more than one and waits briefly for none. Then the
        /// full search counts, waits, opens the 2019 boxes again, or reports what it found.
        /// </summary>
        private async Task<(ILocator Control, bool On)> SwitchStateAsync(string name)
        {
            string label = SwitchLabel(name);
            if (label != null)
            {
                var only = SwitchControl(label);
                try
                {
                    bool on = await only.IsCheckedAsync(new() { Timeout = QuickReadMs }).WithCancellation(Cancel);
                    return (only.First, on);
                }
                catch (Exception e) when (e is PlaywrightException || e is TimeoutException)
                {
                    // None yet (Playwright's timeout), more than one, or the page moved on: asked again below.
                }
            }
            var control = await FindSwitchAsync(name);
            return (control, await control.IsCheckedAsync().WithCancellation(Cancel));
        }

        /// <summary>The retention choice: an ARIA radio group, or native radios in a labelled group.</summary>
        private ILocator RetentionGroup()
        {
            var name = PageText.WholeLabel(Labels.SettingsPage.RetentionGroup);
            return Page.GetByRole(AriaRole.Radiogroup, new() { NameRegex = name }).Or(Page.GetByRole(AriaRole.Group, new() { NameRegex = name }))
                .Filter(new() { Visible = true });
        }

        private async Task<VoiceRecordingRetention> ReadRetentionAsync()
        {
            if (!await AppearsAsync(RetentionGroup()))
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"choice '{Labels.SettingsPage.RetentionGroup}' (VoiceRecordingRetention)", AlexaErrorId.SettingUnavailable);
            }
            foreach (VoiceRecordingRetention value in Enum.GetValues(typeof(VoiceRecordingRetention)))
            {
                var radio = await RadioAsync(value);
                if (await radio.IsCheckedAsync().WithCancellation(Cancel)) return value;
            }
            throw await PageErrors.PageChangedAsync(Page, Session, Name, "chosen retention period (no option is selected)");
        }

        private async Task<ILocator> RadioAsync(VoiceRecordingRetention value)
        {
            string label = Labels.Retention.TryGetValue(value.ToString(), out var l) ? l : null;
            var radio = RetentionGroup().First.GetByRole(AriaRole.Radio, new() { NameRegex = PageText.WholeLabel(label ?? value.ToString()) });
            if (label == null || await radio.CountAsync().WithCancellation(Cancel) != 1)
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"option '{label ?? value.ToString()}' in '{Labels.SettingsPage.RetentionGroup}'");
            }
            return radio;
        }

        /// <summary>Flips a switch through the page (confirming "Turn Off" where the page asks), then reloads and checks what Amazon stored.</summary>
        public async Task SetSwitchAsync(string name, bool enabled)
        {
            var definition = Definition(name);
            if (Kind(name) != SettingKind.Switch) throw AlexaException.InvalidInput($"'{name}' is not a switch; use -Value.");
            await RetryingAsync(async () =>
            {
                var (control, on) = await SwitchStateAsync(name);
                if (on != enabled) await ClickSwitchAsync(control, name, enabled, definition);
                return true;
            }, reloadOnTransient: true, reloadOnSessionEnd: true, isDone: async () => await ReadSwitchAsync(name) == enabled);
            Diagnostics.PhaseClock.Lap("change:" + name);
            await VerifyStoredAsync(name, enabled ? "On" : "Off");
            Diagnostics.PhaseClock.Lap("verify:" + name);
        }

        private async Task ClickSwitchAsync(ILocator control, string name, bool enabled, SettingDefinition definition)
        {
            Verbose($"Turning {(enabled ? "on" : "off")} '{SwitchLabel(name)}' for {Session.Account}.");
            bool needsConfirmation = !enabled && definition.ConfirmOff;
            await ClickAndConfirmAsync(control, Labels.SettingsPage.TurnOff, _ => true, $"the change of '{SwitchLabel(name)}'", needsConfirmation);
            await WaitForShownStateAsync(async () => await ReadSwitchAsync(name) == enabled, name, enabled ? "On" : "Off");
        }

        /// <summary>Chooses a retention period and saves it, confirming the deletion of older recordings when the period is shorter.</summary>
        public async Task SetRetentionAsync(VoiceRecordingRetention value, VoiceRecordingRetention current)
        {
            await RetryingAsync(async () =>
            {
                var shown = await ReadRetentionAsync();
                if (shown != value) await ChooseRetentionAsync(value, shown);
                return true;
            }, reloadOnTransient: true, reloadOnSessionEnd: true, isDone: async () => await ReadRetentionAsync() == value);
            Diagnostics.PhaseClock.Lap("change:" + AlexaSettingName.VoiceRecordingRetention);
            await VerifyStoredAsync(AlexaSettingName.VoiceRecordingRetention, value.ToString());
            Diagnostics.PhaseClock.Lap("verify:" + AlexaSettingName.VoiceRecordingRetention);
        }

        private async Task ChooseRetentionAsync(VoiceRecordingRetention value, VoiceRecordingRetention current)
        {
            Verbose($"Choosing '{Labels.Retention[value.ToString()]}' for {Session.Account}.");
            await ClickAsync(await RadioAsync(value));
            if (!await WaitForAsync(async () => await (await RadioAsync(value)).IsCheckedAsync()))
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"option '{Labels.Retention[value.ToString()]}' that stays chosen when clicked");
            }
            var save = Button(Labels.SettingsPage.Save);
            if (!await AppearsAsync(save))
            {
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"button '{Labels.SettingsPage.Save}' for the retention choice");
            }
            await ClickAndConfirmAsync(save.First, Labels.SettingsPage.Confirm, _ => true, "the retention choice", value < current);
            await WaitForShownStateAsync(async () => await ReadRetentionAsync() == value, AlexaSettingName.VoiceRecordingRetention, value.ToString());
        }

        private async Task WaitForShownStateAsync(Func<Task<bool>> shows, string name, string expected)
        {
            if (!await WaitForAsync(shows))
            {
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"The page did not show {name} as {expected} for {Session.Account} after the change.");
            }
        }

        /// <summary>Reloads the page and checks that Amazon stored <paramref name="expected"/>.</summary>
        private async Task VerifyStoredAsync(string name, string expected)
        {
            await LoadAsync(reuse: false);
            var stored = await ReadAsync(name);
            if (!string.Equals(stored.Value, expected, StringComparison.OrdinalIgnoreCase))
            {
                string screenshot = await PageErrors.CaptureAsync(Page, Session.Account, "change-not-persisted", Session.Trace);
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"Amazon did not keep the change of {name} for {Session.Account}: after a reload the page shows {stored.Value}, not {expected}."
                    + (screenshot == null ? "" : $" A screenshot was saved to '{screenshot}'."))
                { ScreenshotPath = screenshot, RecommendedAction = "Run the command again; if it keeps failing, change the setting by hand and report it." };
            }
        }
    }
}
