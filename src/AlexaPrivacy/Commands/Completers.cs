// Tab completion for parameters whose values come from the site profile, a fixed list, or the session.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    /// <summary>Offers the candidates that start with what was typed (quotes ignored), each with a tooltip.</summary>
    public abstract class PrefixCompleter : IArgumentCompleter
    {
        /// <summary>The values to offer, each with its tooltip.</summary>
        protected abstract IEnumerable<KeyValuePair<string, string>> Candidates();

        /// <summary>The values to offer for this command line; by default <see cref="Candidates()"/>.</summary>
        protected virtual IEnumerable<KeyValuePair<string, string>> Candidates(IDictionary fakeBoundParameters) => Candidates();

        /// <summary>Whether a candidate fits what was typed: by default, it starts with it.</summary>
        protected virtual bool Fits(string candidate, string typed) => candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase);

        public virtual IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            return Candidates(fakeBoundParameters ?? new Hashtable())
                .Where(c => Fits(c.Key, typed))
                .Select(c => new CompletionResult(Quote(c.Key), c.Key, CompletionResultType.ParameterValue, c.Value))
                .ToList();
        }

        // A value with a space or a quote is offered quoted, so that accepting it gives one argument.
        private static string Quote(string value) =>
            value.StartsWith("$", StringComparison.Ordinal) || value.IndexOfAny(new[] { ' ', '\'', '"', ';', ',', '(', ')', '{', '}', '#', '&', '|', '@' }) < 0
                ? value
                : "'" + value.Replace("'", "''") + "'";
    }

    /// <summary>Completes -Marketplace from the site profile, by any part of the name ("uk" finds amazon.co.uk).</summary>
    public sealed class MarketplaceCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SiteProfile.Resolve().Marketplaces.Select(p => new KeyValuePair<string, string>(p.Key, $"{p.Key} ({p.Value.Language})"));

        protected override bool Fits(string candidate, string typed) => candidate.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>Completes -Name with the settings of the site profile.</summary>
    public sealed class SettingNameCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SiteProfile.Resolve().Settings.Select(p => new KeyValuePair<string, string>(p.Key, $"{p.Key} ({p.Value.Kind})"));
    }

    /// <summary>Completes -Value with the retention periods.</summary>
    public sealed class RetentionCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            Enum.GetNames(typeof(VoiceRecordingRetention)).Select(n => new KeyValuePair<string, string>(n, n));
    }

    /// <summary>
    /// Completes -Value for the setting that -Name names: the retention periods for the retention
    /// choice, On and Off for a switch; the retention periods when -Name is not given.
    /// </summary>
    public sealed class SettingValueCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() => Candidates(new Hashtable());

        protected override IEnumerable<KeyValuePair<string, string>> Candidates(IDictionary fakeBoundParameters)
        {
            string name = fakeBoundParameters.Contains("Name") ? fakeBoundParameters["Name"] as string : null;
            var profile = SiteProfile.Resolve();
            var setting = name == null ? default : profile.Settings.FirstOrDefault(p => string.Equals(p.Key, name.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase));
            if (setting.Key != null && SettingRequest.KindOf(setting.Value) != SettingKind.Retention)
            {
                return new[] { new KeyValuePair<string, string>("On", $"Turn {setting.Key} on"), new KeyValuePair<string, string>("Off", $"Turn {setting.Key} off") };
            }
            return Enum.GetNames(typeof(VoiceRecordingRetention)).Select(n => new KeyValuePair<string, string>(n, n));
        }
    }

    /// <summary>Completes -Enabled with $true and $false.</summary>
    public sealed class BooleanCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() => new[]
        {
            new KeyValuePair<string, string>("$true", "$true: on"),
            new KeyValuePair<string, string>("$false", "$false: off"),
        };

        protected override bool Fits(string candidate, string typed) =>
            candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || candidate.Substring(1).StartsWith(typed, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Completes -Device with the devices of the session (-Session, else the current one): those
    /// it has seen in records and device filters, else the voice history page's device filter,
    /// read once within a few seconds while the session is idle.
    /// </summary>
    public sealed class DeviceCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() => Candidates(new Hashtable());

        protected override bool Fits(string candidate, string typed) => candidate.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0;

        protected override IEnumerable<KeyValuePair<string, string>> Candidates(IDictionary fakeBoundParameters)
        {
            AlexaSession given = null;
            if (fakeBoundParameters.Contains("Session") && !LanguagePrimitives.TryConvertTo(fakeBoundParameters["Session"], out given)) given = null;
            var session = given ?? SessionRegistry.GetCurrent();
            if (session == null || !session.IsOpen) return Enumerable.Empty<KeyValuePair<string, string>>();
            if (session.KnownDevices.IsEmpty) ReadDevices(session);
            return session.KnownDevices.Keys.OrderBy(d => d, StringComparer.OrdinalIgnoreCase)
                .Select(d => new KeyValuePair<string, string>(d, $"{d} ({session.Account})"));
        }

        private static void ReadDevices(AlexaSession session)
        {
            // Tab must answer soon, and must not wait for a command that is using the page.
            if (!session.Gate.Wait(0)) return;
            try
            {
                using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                {
                    var reading = System.Threading.Tasks.Task.Run(async () =>
                    {
                        var page = await VoiceHistoryPage.OpenAsync(session, null, cancel.Token);
                        foreach (var device in await page.DeviceChoicesAsync()) session.KnownDevices[device] = true;
                    });
                    try { reading.Wait(cancel.Token); } catch (Exception) { /* no completion is better than an error at Tab */ }
                    try { SessionOpener.ReleasePageAsync(session).Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { }
                }
            }
            catch (Exception)
            {
                // The session's browser may be gone: offer nothing.
            }
            finally
            {
                session.Gate.Release();
            }
        }
    }

    /// <summary>
    /// Completes -SessionPath (and a SessionPath column's parameter) with files and folders, as
    /// PowerShell completes any path, leaving out the "&lt;file&gt;.account" side files of older
    /// versions and the module's own temporary files: neither is a saved session.
    /// </summary>
    public sealed class SessionPathCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IEnumerable<CompletionResult> all;
            try { all = CompletionCompleters.CompleteFilename(wordToComplete ?? ""); }
            catch (Exception) { return Enumerable.Empty<CompletionResult>(); }
            return (all ?? Enumerable.Empty<CompletionResult>()).Where(r => r.ResultType != CompletionResultType.ProviderItem || !IsNotASession(r.ListItemText)).ToList();
        }

        private static bool IsNotASession(string name) =>
            name != null && (name.EndsWith(Security.SessionStore.LegacySideSuffix, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith(".", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)));
    }
}

namespace AlexaPrivacy.Commands
{
    /// <summary>
    /// Base of the completers of values that are never file names (an email address, a session):
    /// where nothing fits, it offers what was typed (or an empty string), because a completer that
    /// offers nothing lets PowerShell offer the files of the current folder instead.
    /// </summary>
    public abstract class NoFileCompleter : PrefixCompleter
    {
        /// <summary>What the value is, for the tooltip when nothing fits ("an email address").</summary>
        protected abstract string What { get; }

        public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = base.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters).ToList();
            if (results.Count > 0) return results;
            string typed = string.IsNullOrEmpty(wordToComplete) ? "''" : wordToComplete;
            return new[] { new CompletionResult(typed, $"({What})", CompletionResultType.ParameterValue, $"Type {What}.") };
        }
    }

    /// <summary>Completes -Email and -Account with the accounts of the open sessions of this PowerShell session.</summary>
    public sealed class AccountCompleter : NoFileCompleter
    {
        protected override string What => "an email address";

        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SessionRegistry.All().Where(s => s.IsOpen).Select(s => s.Account).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(a => new KeyValuePair<string, string>(a, $"{a} (an open session)"));
    }

    /// <summary>Completes -Session with an expression that gives each open session: (Get-AlexaSession 'ann@example.com').</summary>
    public sealed class SessionCompleter : NoFileCompleter
    {
        protected override string What => "a session, such as (Get-AlexaSession -Current)";

        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SessionRegistry.All().Where(s => s.IsOpen).Select(s => s.Account).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(a => new KeyValuePair<string, string>($"$(Get-AlexaSession '{a.Replace("'", "''")}')", $"the session of {a}"));

        // The word typed may be the account or the start of the expression.
        protected override bool Fits(string candidate, string typed) =>
            candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || candidate.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>Completes a path with folders and the files that <see cref="Wanted"/> accepts, as PowerShell completes paths.</summary>
    public abstract class FilteredPathCompleter : IArgumentCompleter
    {
        protected abstract bool Wanted(string fileName);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = CompletionCompleters.CompleteFilename(wordToComplete ?? "")
                .Where(r => r.ResultType == CompletionResultType.ProviderContainer || Wanted(r.ListItemText ?? r.CompletionText.Trim('\'', '"')))
                .ToList();
            if (results.Count > 0) return results;
            // Nothing fits: offer what was typed rather than let PowerShell offer every file.
            return new[] { new CompletionResult(string.IsNullOrEmpty(wordToComplete) ? "''" : wordToComplete, "(no matching file)", CompletionResultType.ParameterValue, "No file here fits.") };
        }
    }

    /// <summary>Completes -Policy with .psd1 files and folders.</summary>
    public sealed class PolicyFileCompleter : FilteredPathCompleter
    {
        protected override bool Wanted(string fileName) => fileName.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase);
    }
}
