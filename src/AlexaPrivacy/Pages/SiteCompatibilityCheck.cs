// Visits every privacy page of an account and looks for every label of the site profile that the
// module relies on there, reporting each one as found or missing instead of stopping at the first.
// On "Review Voice History" it opens every filter control (a choice may sit in a popup) and applies
// a custom date range the way a person would, then checks the page's own data request followed.
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
        private readonly AlexaSession _session;
        private readonly Action<string> _verbose;
        private readonly CancellationToken _cancel;
        private readonly LanguageLabels _labels;

        /// <summary>The Role of the row that reports a step done on the page rather than a label looked for.</summary>
        public const string StepRole = "data request";

        public SiteCompatibilityCheck(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            _session = session;
            _verbose = verbose ?? (_ => { });
            _cancel = cancel;
            _labels = PageText.Labels(session);
        }

        private sealed class Expected
        {
            public string Label;
            public string Text;
            public AriaRole Role;
            /// <summary>Set when the row was checked while the page was in some state (a popup open, "Custom" chosen): not looked for again.</summary>
            public bool? Found;
            /// <summary>The role as reported when it is not an ARIA role (the custom range step).</summary>
            public string RoleText;
            public string Detail;
        }

        public async Task<List<AlexaSiteCheck>> RunAsync()
        {
            var results = new List<AlexaSiteCheck>();
            results.AddRange(await CheckPageAsync("Hub", _session.Profile.Paths.Hub, _ => Task.FromResult(HubLabels())));
            results.AddRange(await CheckPageAsync("Settings", _session.Profile.Paths.Settings, SettingsLabelsAsync));
            results.AddRange(await CheckPageAsync("VoiceHistory", _session.Profile.Paths.VoiceHistory, VoiceHistoryLabelsAsync));
            return results;
        }

        private IEnumerable<Expected> FromDictionary(string prefix, Dictionary<string, string> labels, Func<string, AriaRole> role) =>
            (labels ?? new Dictionary<string, string>())
                .Where(p => !string.IsNullOrWhiteSpace(p.Value))
                .Select(p => new Expected { Label = prefix + "." + p.Key, Text = p.Value, Role = role(p.Key) });

        private List<Expected> HubLabels() =>
            FromDictionary("hub", _labels.Hub, key => key == "heading" ? AriaRole.Heading : AriaRole.Link).ToList();

        private List<Expected> VoiceHistoryLabels() =>
            FromDictionary("voiceHistory", _labels.VoiceHistory, key =>
                key == "heading" ? AriaRole.Heading
                : key.StartsWith("filter", StringComparison.Ordinal) || key == "allDevices" ? AriaRole.Option
                : AriaRole.Button)
            // Texts that show only in some states (an empty list, a dialog, the Custom date range) cannot be looked for on every visit;
            // "Apply" shows only under Custom, and only on pages that want a range confirmed that way (others take Enter).
            .Where(e => !Conditional.Contains(e.Label.Substring("voiceHistory.".Length)))
            .ToList();

        private async Task<List<Expected>> SettingsLabelsAsync(IPage page)
        {
            var expected = new List<Expected>
            {
                new Expected { Label = "settingsPage.heading", Text = _labels.SettingsPage.Heading, Role = AriaRole.Heading },
            };
            string generation = await GenerationAsync(page);
            _generation = generation;
            if (generation == "2019")
            {
                // A 2019 control exists only once its box is open.
                await DataSettingsPage.OpenAllBoxesAsync(page, _session, _cancel);
            }
            if (_labels.Generations.TryGetValue(generation, out var labels))
            {
                foreach (var pair in labels)
                {
                    expected.Add(new Expected
                    {
                        Label = $"generations.{generation}.{pair.Key}",
                        Text = pair.Value,
                        Role = pair.Key == "marker" ? AriaRole.Button : AriaRole.Switch,
                    });
                }
            }
            expected.Add(new Expected { Label = "settingsPage.retentionGroup", Text = _labels.SettingsPage.RetentionGroup, Role = AriaRole.Radiogroup });
            expected.AddRange(FromDictionary("retention", _labels.Retention, _ => AriaRole.Radio));
            expected.Add(new Expected { Label = "settingsPage.save", Text = _labels.SettingsPage.Save, Role = AriaRole.Button });
            return expected;
        }

        private string _generation;

        /// <summary>The 2019 page is made of boxes that open (contract 3.2): its marker, or any such box, tells it apart.</summary>
        private async Task<string> GenerationAsync(IPage page)
        {
            string marker = _labels.Generations.TryGetValue("2019", out var g) && g.TryGetValue("marker", out var m) ? m : null;
            if (marker != null && await Waits.IsPresentAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = PageText.WholeLabel(marker) })))
                return "2019";
            return "2025";
        }

        private async Task<List<AlexaSiteCheck>> CheckPageAsync(string pageName, string path, Func<IPage, Task<List<Expected>>> labelsOf)
        {
            _generation = null;
            _verbose($"Checking the {pageName} page for {_session.Account}.");
            // Only the navigation: a page without the expected labels is what this check reports, not an error.
            await Navigation.GoToAsync(_session, path, new ThrottlePolicy(_session, _verbose, _cancel), _verbose, _cancel);
            var page = await Navigation.PageAsync(_session, _cancel);
            await SettleAsync(page);
            var expected = await labelsOf(page);
            var results = new List<AlexaSiteCheck>();
            foreach (var e in expected)
            {
                results.Add(new AlexaSiteCheck
                {
                    Account = _session.Account,
                    Marketplace = _session.Marketplace,
                    Page = pageName,
                    PageGeneration = _generation,
                    Label = e.Label,
                    Text = e.Text,
                    Role = e.RoleText ?? e.Role.ToString().ToLowerInvariant(),
                    Found = e.Found ?? await Waits.IsPresentAsync(Control(page, e)),
                    Detail = e.Detail,
                    Language = PageText.PageLanguage(_session),
                    Url = page.Url,
                });
            }
            if (results.Any(r => !r.Found))
            {
                string screenshot = await PageErrors.CaptureAsync(page, _session.Account, pageName + "-missing-labels", _session.Trace);
                foreach (var r in results.Where(r => !r.Found)) r.ScreenshotPath = screenshot;
            }
            return results;
        }

        private static ILocator Control(IPage page, Expected e)
        {
            var name = PageText.WholeLabel(e.Text);
            var control = page.GetByRole(e.Role, new() { NameRegex = name });
            // Contract 3.2: a switch may also be a checkbox; a group of radios may be a fieldset named by its legend.
            if (e.Role == AriaRole.Switch) return control.Or(page.GetByRole(AriaRole.Checkbox, new() { NameRegex = name }));
            if (e.Role == AriaRole.Radiogroup) return control.Or(page.GetByRole(AriaRole.Group, new() { NameRegex = name }));
            return control;
        }

        /// <summary>The pages render after their data arrives: wait until the page's requests have settled, bounded.</summary>
        private async Task SettleAsync(IPage page)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = Waits.NavigationTimeoutMs(_session) }).WithCancellation(_cancel);
            }
            catch (TimeoutException)
            {
                // A page that polls forever is looked at all the same.
            }
        }
    }
}
