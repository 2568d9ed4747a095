#!/usr/bin/env pwsh
<#
.SYNOPSIS
    A bulk opt-out under a slow and flaky Amazon: every answer takes up to 1.2 s and 15 % of all
    requests (documents, scripts, data requests, sign-in posts) are answered 503.
.DESCRIPTION
    Starts the replica (optionally with a variant seed), creates -Accounts accounts (every third
    with a TOTP key), switches on the faults, and runs in one process:
      Import-Csv accounts.csv | Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru -Verbose
    It prints how many accounts were opted out (checked in the replica), the errors, the time,
    and the retries counted from the -Verbose lines ("... trying again (2 of 6) in 1.3 s").
    Run after ./build.ps1 build:
      dotnet pwsh -NoProfile -File tools/Throttled-Bulk.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/AlexaPrivacy/AlexaPrivacy.psd1'),
    [string] $ReplicaPath = (Join-Path $PSScriptRoot '../out/replica/AlexaPrivacy.Replica.dll'),
    [int] $Accounts = 20,
    [double] $ThrottleRate = 0.15,
    [int[]] $LatencyMs = @(400, 1200),
    [int] $ThrottleLimit = 4,
    # A replica variant seed (none: the default rendering).
    [Nullable[int]] $Variant,
    # A file for every -Verbose line of the run (no secrets are ever in them).
    [string] $VerboseLog
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$env:ALEXAPRIVACY_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:ALEXAPRIVACY_TEST_REPLICA = (Resolve-Path $ReplicaPath).Path
$env:ALEXAPRIVACY_TEST_VARIANT = if ($null -ne $Variant) { "$Variant" } else { $null }
. (Join-Path $PSScriptRoot '../tests/Pester/common.ps1')
Import-Module $env:ALEXAPRIVACY_TEST_MODULE -Force

$replica = Start-TestReplica
$work = Join-Path ([IO.Path]::GetTempPath()) "alexaprivacy-throttled-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
try {
    $created = foreach ($i in 1..$Accounts) {
        $key = if ($i % 3 -eq 0) { New-TestTotpKey }
        New-ReplicaAccount $replica -TotpSecret $key -Settings @{ VoiceRecordingReview = $true }
    }
    $csv = Join-Path $work 'accounts.csv'
    $created | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password; TotpSecret = $_.TotpSecret } } | Export-Csv $csv -NoTypeInformation
    Set-ReplicaFault $replica @{ throttleRate = @{ rate = $ThrottleRate; status = 503 }; latencyMs = $LatencyMs; pageLatencyMs = $LatencyMs }

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $errors = $null
    $output = Import-Csv $csv | Set-AlexaDataSetting -BaseUri $replica.BaseUri -Enabled $false -Confirm:$false -PassThru -ThrottleLimit $ThrottleLimit `
        -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1
    $clock.Stop()
    Set-ReplicaFault $replica @{}

    $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    if ($VerboseLog) { $verbose | Set-Content $VerboseLog }
    $retries = @($verbose | Where-Object { $_ -match 'trying again \(\d+ of \d+\)' })
    $changes = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
    $optedOut = @($created | Where-Object { -not (Get-ReplicaAccount $replica $_.Email).settings.VoiceRecordingReview }).Count
    $stats = Invoke-ReplicaAdmin $replica -Path '/__replica/stats'

    Write-Host ("{0} of {1} accounts opted out ({2} results, {3} errors) in {4:0.0} s; {5} retries reported in -Verbose; replica served {6} requests." -f `
            $optedOut, $Accounts, $changes.Count, @($errors).Count, $clock.Elapsed.TotalSeconds, $retries.Count, $stats.requests)
    $retries | Group-Object { ($_ -replace ' for \S+@\S+;.*$', '') } | Sort-Object Count -Descending | Select-Object -First 8 |
        ForEach-Object { Write-Host ("  {0,4} x {1}" -f $_.Count, $_.Name) }
    foreach ($e in @($errors)) { Write-Host "  error: $($e.FullyQualifiedErrorId): $($e.Exception.Message)" }
    if ($optedOut -ne $Accounts) { exit 1 }
}
finally {
    Stop-TestReplica $replica
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    Get-Module AlexaPrivacy | Remove-Module -Force
}
