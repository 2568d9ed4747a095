#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The privacy policy benchmark: Set-AlexaPrivacyPolicy on 40 accounts at -ThrottleLimit 8.
.DESCRIPTION
    Starts the replica with accounts in mixed drift from the policy (each setting off its wanted
    value on some accounts, recordings older than the cutoff on half of them) and data requests
    that take 150-600 ms, then runs, in this process:
      set     Import-Csv | Set-AlexaPrivacyPolicy -Force -ThrottleLimit 8 (changes and deletions)
      again   the same a second time (nothing left to change)
      test    Import-Csv | Test-AlexaPrivacyPolicy -ThrottleLimit 8
    Each prints accounts per minute and sign-ins per account (the replica's sign-in counter), and
    the run fails when an account is not compliant afterwards or the second run changed anything.
    Run it through: ./build.ps1 bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReplicaPath,
    [int] $Accounts = 40,
    [int] $ThrottleLimit = 8,
    [int[]] $LatencyMs = @(150, 600)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Resolve-Path $ModulePath).Path -Force

$info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in @($ReplicaPath, '--port', '0')) { $info.ArgumentList.Add($a) }
$info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
$replica = [System.Diagnostics.Process]::Start($info)
try {
    $line = $replica.StandardOutput.ReadLine()
    if ($line -notmatch 'Listening on (http://\S+)') { throw "The replica printed '$line' instead of its address." }
    $base = $Matches[1].TrimEnd('/') + '/'
    $null = $replica.StandardError.ReadToEndAsync(); $null = $replica.StandardOutput.ReadToEndAsync()
    function Invoke-Replica {
        param([string] $Method = 'GET', [string] $Path, $Body)
        $params = @{ Method = $Method; Uri = $base.TrimEnd('/') + $Path; ContentType = 'application/json' }
        if ($null -ne $Body) { $params.Body = $Body | ConvertTo-Json -Depth 6 }
        Invoke-RestMethod @params
    }

    $policy = @{ VoiceRecordingReview = 'Off'; MessageTranscription = 'Off'; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths'; DeleteRecordingsOlderThan = '7.00:00:00' }
    $now = [DateTimeOffset]::Now
    $rows = for ($i = 0; $i -lt $Accounts; $i++) {
        $email = "policy-bench-$i@example.com"
        $settings = @{
            VoiceRecordingReview    = ($i % 2 -eq 0)
            MessageTranscription    = ($i % 3 -eq 0)
            DeletionByVoice         = ($i % 4 -ne 0)
            VoiceRecordingRetention = @('UntilDeleted', 'ThreeMonths', 'EighteenMonths', 'ThreeMonths')[$i % 4]
        }
        $null = Invoke-Replica -Method POST -Path '/__replica/accounts' -Body @{ email = $email; password = "bench-password-$i"; marketplace = 'amazon.com'; settings = $settings }
        $records = foreach ($d in 1..20) {
            # Half of the accounts keep recordings older than the cutoff (days 8-20), the others only recent ones.
            $age = if ($i % 2 -eq 0) { $d } else { [Math]::Min($d, 6) - 0.1 * $d }
            @{ timestamp = $now.AddDays(-$age).ToUnixTimeMilliseconds(); device = @('Kitchen Echo', 'Bedroom Echo Dot')[$d % 2]; transcript = "request $d" }
        }
        $null = Invoke-Replica -Method POST -Path "/__replica/accounts/$([uri]::EscapeDataString($email))/records" -Body @{ records = @($records) }
        [pscustomobject]@{ Email = $email; Password = "bench-password-$i"; Marketplace = 'amazon.com' }
    }
    $null = Invoke-Replica -Method PUT -Path '/__replica/faults' -Body @{ latencyMs = $LatencyMs }
    Write-Host "Privacy policy on $Accounts accounts at -ThrottleLimit $ThrottleLimit; replica data latency $($LatencyMs -join '-') ms; $([Environment]::ProcessorCount) cores"

    $failed = $false
    function Measure-Run {
        param([string] $Name, [scriptblock] $Run)
        $before = (Invoke-Replica -Path '/__replica/stats').signIns
        $errors = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(& $Run)
        $clock.Stop()
        $signIns = (Invoke-Replica -Path '/__replica/stats').signIns - $before
        $perMinute = $Accounts / $clock.Elapsed.TotalMinutes
        $changes = ($results | ForEach-Object { @($_.Changes).Count } | Measure-Object -Sum).Sum
        $deleted = ($results | ForEach-Object { if ($_.Deletion) { $_.Deletion.Deleted } else { 0 } } | Measure-Object -Sum).Sum
        $compliant = @($results | Where-Object Compliant).Count
        Write-Host ('{0,-6} {1,6:0.0} s  {2,6:0.0} accounts/min  {3:0.00} sign-ins/account  {4} results, {5} compliant, {6} settings changed, {7} recordings deleted' -f
            $Name, $clock.Elapsed.TotalSeconds, $perMinute, ($signIns / $Accounts), $results.Count, $compliant, $changes, $deleted)
        [pscustomobject]@{ Results = $results; Changes = $changes; Deleted = $deleted; Compliant = $compliant }
    }

    $set = Measure-Run 'set' { $rows | Set-AlexaPrivacyPolicy -Policy $policy -BaseUri $base -Force -ThrottleLimit $ThrottleLimit }
    if ($set.Compliant -ne $Accounts) { Write-Host "FAILED: $($Accounts - $set.Compliant) account(s) not compliant after the first run."; $failed = $true }
    $again = Measure-Run 'again' { $rows | Set-AlexaPrivacyPolicy -Policy $policy -BaseUri $base -Force -ThrottleLimit $ThrottleLimit }
    if ($again.Changes -ne 0 -or $again.Deleted -ne 0) { Write-Host 'FAILED: the second run changed something.'; $failed = $true }
    $test = Measure-Run 'test' { $rows | Test-AlexaPrivacyPolicy -Policy $policy -BaseUri $base -ThrottleLimit $ThrottleLimit }
    if ($test.Compliant -ne $Accounts) { Write-Host 'FAILED: Test-AlexaPrivacyPolicy finds accounts not compliant.'; $failed = $true }
    if ($failed) { exit 1 }
}
finally {
    if (-not $replica.HasExited) { $replica.Kill($true); $null = $replica.WaitForExit(10000) }
}
