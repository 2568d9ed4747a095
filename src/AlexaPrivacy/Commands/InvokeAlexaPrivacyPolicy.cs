// Invoke-AlexaPrivacyPolicy: Set-AlexaPrivacyPolicy spread over several machines with PowerShell
// remoting (SSH with -HostName, or any PSSession, WinRM included). Each account goes to one host,
// chosen by a stable hash of its email (Execution/HostAssignment), so that its saved session lives
// in one place. Each host runs Set-AlexaPrivacyPolicy on its share and writes its own audit log; the
// results come back as they are (deserialised, with PSComputerName), and the hosts' logs are merged
// in time order into the caller's -AuditLogPath. Secrets travel only as arguments inside the
// remoting channel (SecureString, encrypted again with the session key), never on a command line.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsLifecycle.Invoke, "AlexaPrivacyPolicy", DefaultParameterSetName = HostNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AlexaPolicyResult))]
    public sealed partial class InvokeAlexaPrivacyPolicyCommand : PSCmdlet
    {
        private const string HostNameSet = "HostName";
        private const string PSSessionSet = "PSSession";
        private const string AuditMarker = "AlexaPrivacy.RemoteAuditLog";

        /// <summary>The wanted state: a .psd1 file on this machine or a hashtable; checked here before any host is reached.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object Policy { get; set; }

        /// <summary>Account rows (Import-Csv): Email, and SessionPath (a path on the account's host), Password, TotpSecret, Marketplace.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        /// <summary>The hosts to spread the accounts over, reached with SSH remoting (user@host:port allowed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = HostNameSet)]
        [ValidateNotNullOrEmpty]
        public string[] HostName { get; set; }

        [Parameter(ParameterSetName = HostNameSet)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter(ParameterSetName = HostNameSet)]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        [Parameter(ParameterSetName = HostNameSet)]
        [ValidateNotNullOrEmpty]
        public string KeyFilePath { get; set; }

        /// <summary>ssh -o options for every host, such as @{ StrictHostKeyChecking = 'yes' } (Invoke-Command -Options).</summary>
        [Parameter(ParameterSetName = HostNameSet)]
        [ValidateNotNull]
        public Hashtable SSHOption { get; set; }

        /// <summary>Open sessions to the hosts (SSH or WinRM); they stay open.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PSSessionSet)]
        [ValidateNotNullOrEmpty]
        public PSSession[] PSSession { get; set; }

        /// <summary>The module on each host: its name when installed there, or the path of AlexaPrivacy.psd1 on the host.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ModulePath { get; set; } = "AlexaPrivacy";

        /// <summary>The merged audit log of all hosts, on this machine; $env:ALEXAPRIVACY_AUDIT_LOG by default.</summary>
        [Parameter]
        public string AuditLogPath { get; set; }

        /// <summary>Accounts at once on each host.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>How long the whole run may take; past it the hosts are stopped and their unfinished accounts fail.</summary>
        [Parameter]
        [ValidateRange(10, 604800)]
        public int TimeoutSeconds { get; set; } = 3600;

        /// <summary>Another rendition of Amazon's pages for every host (tests, the replica).</summary>
        [Parameter]
        public Uri BaseUri { get; set; }

        /// <summary>Makes the high-impact changes (a shorter retention, deleting recordings) without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private sealed class Row
        {
            public string Email;
            public Hashtable Columns;
            public PSObject Target;
        }

        private sealed class HostRun
        {
            public int Index;
            public string Name;
            public PSSession Session;
            public List<Row> Rows = new List<Row>();
            public Job Job;
            public readonly HashSet<string> Answered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            public List<string> AuditLines;
            public string AuditLogName;
            public string Failure;
        }

        private AlexaPrivacyPolicy _policy;
        private readonly List<Row> _rows = new List<Row>();
        private readonly HashSet<string> _emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<HostRun> _runs = new List<HostRun>();
        private volatile bool _stopping;
        private int _done, _compliant, _notCompliant, _failed;

        private static readonly string[] Columns = { "Email", "Password", "TotpSecret", "Marketplace", "SessionPath", "Credential" };

        protected override void BeginProcessing()
        {
            try
            {
                _policy = AlexaPrivacyPolicy.Load(Policy, Site.SiteProfile.Resolve(), path => GetUnresolvedProviderPathFromPSPath(path));
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(Policy));
            }
            var names = ParameterSetName == HostNameSet ? HostName.Select(h => h?.Trim()).ToList() : PSSession.Select(s => s?.ComputerName).ToList();
            if (names.Any(string.IsNullOrEmpty))
            {
                ThrowTerminatingError(AlexaException.InvalidInput("A host name is empty.").ToErrorRecord(names));
            }
            var twice = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (twice != null)
            {
                ThrowTerminatingError(AlexaException.InvalidInput($"The host '{twice.Key}' is named twice: each account must have exactly one host.").ToErrorRecord(twice.Key));
            }
            for (int i = 0; i < names.Count; i++)
            {
                _runs.Add(new HostRun { Index = i, Name = names[i], Session = ParameterSetName == PSSessionSet ? PSSession[i] : null });
            }
            WriteVerbose($"Policy from {_policy.Source}: {_policy}. Hosts: {string.Join(", ", names)}.");
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            var target = new PSObject();
            var columns = new Hashtable(StringComparer.OrdinalIgnoreCase);
            try
            {
                foreach (string name in Columns)
                {
                    var property = InputObject.Properties[name];
                    object value = property?.Value is PSObject wrapped ? wrapped.BaseObject : property?.Value;
                    if (value == null || value is string text && string.IsNullOrWhiteSpace(text)) continue;
                    target.Properties.Add(new PSNoteProperty(name, name == "Password" || name == "TotpSecret" ? "(secret)" : AlexaCmdlet.MaskSecret(value)));
                    switch (name)
                    {
                        case "Password":
                        case "TotpSecret":
                            columns[name] = Secure(name, value);
                            break;
                        case "Credential":
                            columns[name] = value as PSCredential ?? throw AlexaException.InvalidInput($"The Credential column holds a {value.GetType().Name}, not a PSCredential.");
                            break;
                        default:
                            columns[name] = Convert.ToString(value, CultureInfo.InvariantCulture).Trim();
                            break;
                    }
                }
                string email = columns["Email"] as string ?? (columns["Credential"] as PSCredential)?.UserName;
                if (string.IsNullOrWhiteSpace(email))
                {
                    var names = InputObject.Properties.Select(p => p.Name).ToList();
                    throw AlexaException.InvalidInput($"The row has no Email column{(names.Count > 0 ? " (its columns: " + string.Join(", ", names) + ")" : "")}: the host of an account is chosen by its email.");
                }
                email = email.Trim();
                if (!_emails.Add(HostAssignment.Key(email)))
                {
                    throw AlexaException.InvalidInput($"The account {email} appears twice; it is done once, from its first row.");
                }
                _rows.Add(new Row { Email = email, Columns = columns, Target = target });
            }
            catch (AlexaException e)
            {
                WriteError(e.ToErrorRecord(target));
            }
        }

        private static SecureString Secure(string column, object value)
        {
            switch (value)
            {
                case SecureString secure:
                    return secure;
                case PSCredential credential:
                    return credential.Password;
                case string text:
                    var result = new SecureString();
                    foreach (char c in text) result.AppendChar(c);
                    result.MakeReadOnly();
                    return result;
                default:
                    throw AlexaException.InvalidInput($"The {column} column must be a SecureString, a PSCredential or text; it holds a {value.GetType().Name}.");
            }
        }

        protected override void EndProcessing()
        {
            if (_rows.Count == 0) return;
            var names = _runs.Select(r => r.Name).ToList();
            foreach (var row in _rows)
            {
                var run = _runs[HostAssignment.HostFor(row.Email, names)];
                run.Rows.Add(row);
                WriteVerbose($"{row.Email}: host {run.Name}.");
            }
            var approved = _runs.Where(r => r.Rows.Count > 0 && ShouldProcess($"{r.Rows.Count} account(s) on {r.Name}", $"Apply the privacy policy ({_policy})")).ToList();
            if (approved.Count == 0) return;
            bool highImpact = _policy.DeleteRecordingsOlderThan.HasValue || _policy.Desired.Any(d => d.Retention.HasValue);
            if (highImpact && AskHighImpact())
            {
                int accounts = approved.Sum(r => r.Rows.Count);
                bool yes;
                try
                {
                    yes = ShouldContinue($"The policy may shorten how long Amazon keeps voice recordings or delete recordings, on {accounts} account(s) on {approved.Count} host(s). Continue?", "Invoke-AlexaPrivacyPolicy");
                }
                catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException)
                {
                    // No one can answer (a scheduled task, -NonInteractive): refuse rather than assume a yes.
                    var refusal = new AlexaException(AlexaErrorId.ConfirmationRequired, ErrorCategory.PermissionDenied,
                        $"The policy may shorten how long Amazon keeps voice recordings or delete recordings, and no one can confirm that here; nothing was sent to the {approved.Count} host(s).")
                    { RecommendedAction = "Give -Force (or -Confirm:$false) for unattended runs." };
                    ThrowTerminatingError(refusal.ToErrorRecord(Policy));
                    return;
                }
                if (!yes) return;
            }
            // A log that cannot be written stops the run before any host changes anything.
            AuditLog log;
            try
            {
                log = AuditLog.Open(this, AuditLogPath, false);
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(AuditLogPath));
                return;
            }
            string runId = Guid.NewGuid().ToString("N").Substring(0, 12);
            var clock = Stopwatch.StartNew();
            try
            {
                foreach (var run in approved) Start(run, runId);
                Wait(approved, clock);
            }
            finally
            {
                foreach (var run in approved.Where(r => r.Job != null))
                {
                    if (!run.Job.IsFinishedState()) run.Job.StopJob();
                    run.Job.Dispose();
                }
            }
            foreach (var run in approved) ReportUnanswered(run);
            Merge(approved, log);
            WriteProgress(new ProgressRecord(1, "Applying a privacy policy over PowerShell remoting", "Done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose($"{_rows.Count} account(s) on {approved.Count} host(s) in {clock.Elapsed.TotalSeconds:0.0} s: {_compliant} compliant, {_notCompliant} not compliant, {_failed} failed" +
                (log != null ? $"; audit log {log.FullPath}." : "."));
        }

        protected override void StopProcessing()
        {
            _stopping = true;
            foreach (var run in _runs)
            {
                try { run.Job?.StopJob(); } catch (Exception) { /* the job ends anyway; StopProcessing must not throw */ }
            }
        }

        // Like Set-AlexaPrivacyPolicy: ask unless -Force, -Confirm (asked already) or -Confirm:$false / $ConfirmPreference = 'None'.
        private bool AskHighImpact()
        {
            return !Force && ConfirmSettings.Confirm(this) == null && !ConfirmSettings.PreferenceIsNone(this);
        }

    }

    internal static class JobStates
    {
        public static bool IsFinishedState(this Job job)
        {
            var state = job.JobStateInfo.State;
            return state == JobState.Completed || state == JobState.Failed || state == JobState.Stopped;
        }
    }
}
