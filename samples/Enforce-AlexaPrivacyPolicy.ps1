#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Applies a privacy policy to every Alexa account of a CSV, unattended, for a nightly timer or
    scheduled task; the exit code and the audit log tell a monitoring system how it went.
.DESCRIPTION
    Reads the accounts from a CSV (Email, SessionPath and Marketplace columns: saved sessions made
    once with Connect-AlexaAccount -SessionPath, so no password is stored for the schedule), runs
    Set-AlexaPrivacyPolicy -Force on them, appends every change, deletion and failure to the audit
    log (JSON lines), and optionally writes an HTML report with a JSON snapshot beside it that the
    next run compares with.

    Exit codes:
      0  every account is compliant (changed now, or already)
      1  at least one account failed or is still not compliant (see the audit log: action "Failure")
      2  the run could not start: the policy, the CSV or the module is not usable

    With -HostName the accounts are spread over several machines with PowerShell remoting over SSH
    (Invoke-AlexaPrivacyPolicy): each account always on the host its email hashes to, the hosts'
    audit lines merged into -AuditLogPath here, and one exit code for the whole run.
.EXAMPLE
    pwsh -NonInteractive -File Enforce-AlexaPrivacyPolicy.ps1 -AccountsPath /etc/alexa-privacy/accounts.csv -PolicyPath /etc/alexa-privacy/policy.psd1 -AuditLogPath /var/log/alexa-privacy/audit.jsonl
.EXAMPLE
    pwsh -NonInteractive -File Enforce-AlexaPrivacyPolicy.ps1 -AccountsPath accounts.csv -PolicyPath policy.psd1 -AuditLogPath audit.jsonl -HostName alexa1.example.net,alexa2.example.net -UserName alexa-privacy -KeyFilePath ~/.ssh/alexa_fanout
#>
[CmdletBinding()]
param(
    # CSV with an Email column and, for unattended runs, a SessionPath column (saved sessions).
    [Parameter(Mandatory)]
    [string] $AccountsPath,

    # The policy: a .psd1 file such as @{ VoiceRecordingReview = 'Off'; DeleteRecordingsOlderThan = '7.00:00:00' }.
    [Parameter(Mandatory)]
    [string] $PolicyPath,

    # JSON lines: one per change, deletion and failure. Defaults to $env:ALEXAPRIVACY_AUDIT_LOG.
    [string] $AuditLogPath = $env:ALEXAPRIVACY_AUDIT_LOG,

    # An HTML report of the run: every account of the CSV, compliant, not compliant (with why) or failed
    # (with its error id and message). Its JSON snapshot is kept beside it for the next run's comparison.
    [string] $ReportPath,

    [int] $ThrottleLimit = 4,

    # The module to import: its name (installed) or the path of AlexaPrivacy.psd1.
    [string] $Module = 'AlexaPrivacy',

    # For tests against the replica only.
    [uri] $BaseUri,

    # Spread the accounts over these machines with PowerShell remoting over SSH (Invoke-AlexaPrivacyPolicy);
    # each account's SessionPath is then a path on the host its email hashes to.
    [string[]] $HostName,
    [int] $Port,
    [string] $UserName,
    [string] $KeyFilePath,
    # ssh -o options as Name=Value, such as StrictHostKeyChecking=yes.
    [string[]] $SSHOption,
    # The module on each host: its name there (installed) or the path of its AlexaPrivacy.psd1.
    [string] $RemoteModule = 'AlexaPrivacy'
)

$ErrorActionPreference = 'Stop'
try {
    # Quietly: -Verbose on this script is for the run, not for the module's 36 lines of import.
    Import-Module $Module -Verbose:$false
    $accounts = @(Import-Csv -LiteralPath $AccountsPath)
    if ($accounts.Count -eq 0) { throw "No account rows in '$AccountsPath'." }
}
catch {
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    exit 2
}

$parameters = @{ Policy = $PolicyPath; Force = $true; ThrottleLimit = $ThrottleLimit; ErrorVariable = 'failures'; ErrorAction = 'Continue' }
if ($AuditLogPath) { $parameters.AuditLogPath = $AuditLogPath }
if ($BaseUri) { $parameters.BaseUri = $BaseUri }
$failures = @()
# pwsh -File hands over 'a,b' as one string: split lists here.
$HostName = @($HostName | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
$SSHOption = @($SSHOption | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
if ($HostName) {
    $parameters.HostName = $HostName
    $parameters.ModulePath = $RemoteModule
    if ($Port) { $parameters.Port = $Port }
    if ($UserName) { $parameters.UserName = $UserName }
    if ($KeyFilePath) { $parameters.KeyFilePath = $KeyFilePath }
    if ($SSHOption) {
        $options = @{}
        foreach ($pair in $SSHOption) { $name, $value = $pair -split '=', 2; $options[$name.Trim()] = "$value".Trim() }
        $parameters.SSHOption = $options
    }
}
try {
    # One machine, or several over PowerShell remoting: the results, errors and exit code read the same.
    $results = if ($HostName) { @($accounts | Invoke-AlexaPrivacyPolicy @parameters) } else { @($accounts | Set-AlexaPrivacyPolicy @parameters) }
}
catch {
    # A terminating error: the policy is not valid, or the audit log cannot be written.
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    exit 2
}

if ($ReportPath) {
    $json = [IO.Path]::ChangeExtension($ReportPath, '.json')
    $report = @{ Path = $ReportPath; JsonPath = $json }
    if (Test-Path -LiteralPath $json) {
        $previous = "$json.previous"
        Copy-Item -LiteralPath $json -Destination $previous -Force
        $report.Previous = $previous
    }
    # The failures go in too: a failed account is a row of the report, named with its error id.
    @($results) + @($failures) | Export-AlexaPrivacyReport @report
}

$notCompliant = @($results | Where-Object { -not $_.Compliant })
$changed = @($results | Where-Object { @($_.Changes).Count -gt 0 -or ($_.Deletion -and $_.Deletion.Deleted -gt 0) })
Write-Output ("{0} account(s): {1} compliant, {2} changed now, {3} not compliant, {4} error(s)." -f
    $accounts.Count, ($results.Count - $notCompliant.Count), $changed.Count, $notCompliant.Count, @($failures).Count)
if (@($failures).Count -gt 0 -or $notCompliant.Count -gt 0 -or $results.Count -lt $accounts.Count) { exit 1 }
exit 0
