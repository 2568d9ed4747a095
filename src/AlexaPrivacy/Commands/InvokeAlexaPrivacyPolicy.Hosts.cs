// Invoke-AlexaPrivacyPolicy on its hosts: the script each runs, the remote jobs started, watched and
// drained, and their audit logs merged into one.
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
    public sealed partial class InvokeAlexaPrivacyPolicyCommand
    {
        private const string RemoteScript = @"
param([object[]] $Rows, [hashtable] $Policy, [string] $Module, [string] $AuditLogName, [hashtable] $Options)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$log = Join-Path ([IO.Path]::GetTempPath()) $AuditLogName
$parameters = @{ Policy = $Policy; AuditLogPath = $log; Force = $true; Confirm = $false; ThrottleLimit = $Options.ThrottleLimit; ErrorAction = 'Continue' }
if ($Options.BaseUri) { $parameters.BaseUri = [uri] $Options.BaseUri }
if ($Options.Verbose) { $parameters.Verbose = $true }
try {
    $Rows | ForEach-Object { [pscustomobject] $_ } | Set-AlexaPrivacyPolicy @parameters
}
finally {
    $lines = @()
    if (Test-Path -LiteralPath $log) { $lines = @(Get-Content -LiteralPath $log); Remove-Item -LiteralPath $log -Force }
    [pscustomobject]@{ PSTypeName = 'AlexaPrivacy.RemoteAuditLog'; Lines = [string[]] $lines }
}
";

        private void Start(HostRun run, string runId)
        {
            run.AuditLogName = $"alexaprivacy-audit-{runId}-{run.Index}.jsonl";
            var policy = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in _policy.Settings) policy[pair.Key] = pair.Value;
            if (_policy.DeleteRecordingsOlderThan.HasValue) policy[AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey] = _policy.DeleteRecordingsOlderThan.Value.ToString("c", CultureInfo.InvariantCulture);
            var options = new Hashtable
            {
                ["ThrottleLimit"] = ThrottleLimit,
                ["BaseUri"] = BaseUri?.AbsoluteUri,
                ["Verbose"] = MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose) ? (bool)(SwitchParameter)verbose : Equals(GetVariableValue("VerbosePreference"), ActionPreference.Continue),
            };
            var arguments = new object[] { run.Rows.Select(r => (object)r.Columns).ToArray(), policy, ModulePath, run.AuditLogName, options };
            using (var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Invoke-Command");
                if (run.Session != null) ps.AddParameter("Session", run.Session);
                else
                {
                    ps.AddParameter("HostName", run.Name);
                    if (Port > 0) ps.AddParameter("Port", Port);
                    if (UserName != null) ps.AddParameter("UserName", UserName);
                    if (KeyFilePath != null) ps.AddParameter("KeyFilePath", GetUnresolvedProviderPathFromPSPath(KeyFilePath));
                    if (SSHOption != null) ps.AddParameter("Options", SSHOption);
                }
                ps.AddParameter("ScriptBlock", ScriptBlock.Create(RemoteScript))
                  .AddParameter("ArgumentList", arguments)
                  .AddParameter("AsJob")
                  .AddParameter("JobName", $"AlexaPrivacy-{runId}-{run.Index}");
                try
                {
                    run.Job = ps.Invoke().Select(o => o?.BaseObject as Job).FirstOrDefault(j => j != null);
                    if (run.Job == null) run.Failure = string.Join(" ", ps.Streams.Error.Select(e => e.ToString()).DefaultIfEmpty("Invoke-Command started no job."));
                }
                catch (RuntimeException e)
                {
                    run.Failure = e.Message;
                }
            }
            WriteVerbose(run.Job != null ? $"{run.Name}: {run.Rows.Count} account(s) sent." : $"{run.Name}: not started: {run.Failure}");
        }

        private void Wait(List<HostRun> runs, Stopwatch clock)
        {
            var active = runs.Where(r => r.Job != null).ToList();
            while (true)
            {
                foreach (var run in active) Drain(run);
                var open = active.Where(r => !r.Job.IsFinishedState()).ToList();
                if (open.Count == 0) break;
                if (_stopping) throw new PipelineStoppedException();
                if (clock.Elapsed.TotalSeconds >= TimeoutSeconds)
                {
                    foreach (var run in open)
                    {
                        run.Failure = $"the host did not finish within -TimeoutSeconds {TimeoutSeconds}";
                        run.Job.StopJob();
                    }
                    foreach (var run in active) Drain(run);
                    break;
                }
                WaitHandle.WaitAny(open.Select(r => r.Job.Finished).ToArray(), 250);
            }
            foreach (var run in active)
            {
                Drain(run);
                if (run.Failure == null && run.Job.JobStateInfo.State == JobState.Failed)
                {
                    var reason = run.Job.ChildJobs.Select(c => c.JobStateInfo.Reason).FirstOrDefault(r => r != null) ?? run.Job.JobStateInfo.Reason;
                    run.Failure = reason?.Message ?? "the remote run failed";
                }
            }
        }

        // Hands on what a host sent so far: results, errors and messages, on the pipeline thread.
        private void Drain(HostRun run)
        {
            foreach (var child in run.Job.ChildJobs)
            {
                foreach (var item in child.Output.ReadAll())
                {
                    if (item == null) continue;
                    // The audit lines' marker, as the host's job hands it over (a deserialized copy) or as it was sent.
                    if (item.TypeNames.Contains("Deserialized." + AuditMarker) || item.TypeNames.Contains(AuditMarker))
                    {
                        run.AuditLines = (item.Properties["Lines"]?.Value is PSObject lines && lines.BaseObject is IEnumerable e ? e.Cast<object>() : Enumerable.Empty<object>())
                            .Select(l => Convert.ToString(l is PSObject p ? p.BaseObject : l, CultureInfo.InvariantCulture)).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
                        continue;
                    }
                    string account = Convert.ToString(item.Properties["Account"]?.Value, CultureInfo.InvariantCulture);
                    if (!string.IsNullOrEmpty(account)) run.Answered.Add(HostAssignment.Key(account));
                    if (item.Properties["Compliant"]?.Value is bool compliant) { if (compliant) _compliant++; else _notCompliant++; }
                    Progress();
                    WriteObject(item);
                }
                foreach (var error in child.Error.ReadAll())
                {
                    string account = AccountOf(error, run);
                    if (account != null && run.Answered.Add(account))
                    {
                        _failed++;
                        Progress();
                    }
                    WriteError(error);
                }
                foreach (var message in child.Warning.ReadAll()) WriteWarning($"{run.Name}: {message.Message}");
                foreach (var message in child.Verbose.ReadAll()) WriteVerbose($"{run.Name}: {message.Message}");
                foreach (var message in child.Debug.ReadAll()) WriteDebug($"{run.Name}: {message.Message}");
                foreach (var record in child.Information.ReadAll()) WriteInformation(record);
                child.Progress.Clear();
            }
        }

        // The account an error concerns: its target row's Email (the module's errors target the row, secrets masked),
        // else an email of this host's share that the message names.
        private static string AccountOf(ErrorRecord error, HostRun run)
        {
            object target = error.TargetObject;
            if (target is PSObject row)
            {
                var email = row.Properties["Email"]?.Value ?? row.Properties["Account"]?.Value;
                if (email != null) return HostAssignment.Key(Convert.ToString(email, CultureInfo.InvariantCulture));
            }
            string message = error.ErrorDetails?.Message ?? error.Exception?.Message ?? "";
            return run.Rows.Select(r => r.Email).Where(e => message.IndexOf(e, StringComparison.OrdinalIgnoreCase) >= 0)
                .OrderByDescending(e => e.Length).Select(HostAssignment.Key).FirstOrDefault();
        }

        private void Progress()
        {
            _done++;
            WriteProgress(new ProgressRecord(1, "Applying a privacy policy over PowerShell remoting", $"{_done} of {_rows.Count} account(s)")
            {
                PercentComplete = Math.Min(100, _done * 100 / Math.Max(1, _rows.Count)),
            });
        }

        // Every row shows in the output or the errors: the accounts a host never answered for fail here, by name.
        private void ReportUnanswered(HostRun run)
        {
            foreach (var row in run.Rows.Where(r => !run.Answered.Contains(HostAssignment.Key(r.Email))))
            {
                string why = run.Failure ?? "the host sent no result for it";
                var error = new AlexaException(AlexaErrorId.RemotingFailed, ErrorCategory.ConnectionError, $"{row.Email}: not done on {run.Name}: {why}")
                {
                    RecommendedAction = $"Check that {run.Name} can be reached with Invoke-Command and has the module ({ModulePath}), then run again: every change is idempotent.",
                };
                _failed++;
                WriteError(error.ToErrorRecord(row.Target));
            }
        }

        // The hosts' audit lines, in time order (a host's own order kept for equal times), each with its host.
        private void Merge(List<HostRun> runs, AuditLog log)
        {
            var lines = new List<(string Time, int Host, int Order, byte[] Json, string Action, string Account)>();
            foreach (var run in runs)
            {
                if (run.AuditLines == null)
                {
                    // A host that ran (it answered for an account) but sent no log back still holds it.
                    if (run.Answered.Count > 0) WriteWarning($"{run.Name}: its audit log did not come back; it stays on that host as {run.AuditLogName} in its temporary folder.");
                    continue;
                }
                int order = 0;
                foreach (string line in run.AuditLines)
                {
                    try
                    {
                        using (var document = JsonDocument.Parse(line))
                        {
                            var root = document.RootElement;
                            string time = root.TryGetProperty("time", out var t) ? t.GetString() : "";
                            string action = root.TryGetProperty("action", out var a) ? a.GetString() : null;
                            string account = root.TryGetProperty("account", out var u) ? u.GetString() : null;
                            lines.Add((time, run.Index, order++, WithHost(root, run.Name), action, account));
                        }
                    }
                    catch (JsonException)
                    {
                        WriteWarning($"{run.Name}: an audit line is not JSON and was left out of the merged log.");
                    }
                }
            }
            if (log == null) return;
            foreach (var line in lines.OrderBy(l => l.Time, StringComparer.Ordinal).ThenBy(l => l.Host).ThenBy(l => l.Order))
            {
                try
                {
                    log.AppendLine(line.Json, line.Action, line.Account);
                }
                catch (AlexaException e)
                {
                    WriteError(e.ToErrorRecord(AuditLogPath));
                    return;
                }
            }
            WriteVerbose($"Merged {lines.Count} audit line(s) from {runs.Count} host(s) into {log.FullPath}.");
        }

        private static byte[] WithHost(JsonElement root, string host)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    bool written = false;
                    foreach (var property in root.EnumerateObject())
                    {
                        if (property.NameEquals("host")) continue;
                        property.WriteTo(json);
                        if (!written && property.NameEquals("time"))
                        {
                            json.WriteString("host", host);
                            written = true;
                        }
                    }
                    if (!written) json.WriteString("host", host);
                    json.WriteEndObject();
                }
                return buffer.ToArray();
            }
        }
    }
}
