#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Measures the voice-history cmdlets against the replica: listing 5,000 records, deleting 1,000 of
    them by range, and a policy run that deletes everything older than 30 days from 5,000 records
    spread over 18 months, with time, memory and records deleted per minute.
.DESCRIPTION
    Starts the replica on a free loopback port, seeds one account with -Count records over 30 days
    (of which -DeleteCount sit on one device in six whole days), then measures in this process:
    - Get-AlexaVoiceHistory over the whole history (streamed, counted with Measure-Object);
    - Remove-AlexaVoiceHistory for that device and those days (the page's filters and
      "Delete all of my recordings", then the re-read that checks what is gone);
    - on a second account with -Count records spread over -HistoryDays days, Set-AlexaPrivacyPolicy
      with DeleteRecordingsOlderThan = -OlderThanDays: the first read, the runs of whole days through
      the filters (limits.recordsPerFilter records at most each), the cutoff's own day one by one, and
      the re-read; then the same policy again, which must delete nothing. The replica's stored records
      are checked after each: exactly those older than the cutoff are gone. Records per minute are the
      records deleted divided by the whole run's time. That account's work may take up to
      -AccountSeconds (timeouts.accountSeconds, through a site profile override), because a loaded
      machine can need more than the default 300 s for 5,000 records.
    Memory is this PowerShell process's: bytes allocated on the managed heap during the step, the
    managed heap after the step, and the process's peak working set. Chromium runs in its own
    processes and is not counted here.
.EXAMPLE
    ./tools/Benchmark-VoiceHistory.ps1 -ModulePath out/AlexaPrivacy/AlexaPrivacy.psd1 -ReplicaPath out/replica/AlexaPrivacy.Replica.dll
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReplicaPath,
    [int] $Count = 5000,
    [int] $DeleteCount = 1000,
    [int] $HistoryDays = 548,
    [int] $OlderThanDays = 30,
    [int] $AccountSeconds = 1800
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

. (Join-Path $PSScriptRoot '../tests/Pester/common.ps1')
$script:ReplicaPath = (Resolve-Path $ReplicaPath).Path
Import-Module (Resolve-Path $ModulePath).Path -Force

function Measure-Step {
    param([string] $Name, [scriptblock] $Work)
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $allocatedBefore = [GC]::GetTotalAllocatedBytes($true)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $result = & $Work
    $clock.Stop()
    $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocatedBefore
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [Diagnostics.Process]::GetCurrentProcess()
    [pscustomobject]@{
        Step             = $Name
        Result           = $result
        Seconds          = [math]::Round($clock.Elapsed.TotalSeconds, 2)
        AllocatedMB      = [math]::Round($allocated / 1MB, 1)
        HeapAfterMB      = [math]::Round([GC]::GetTotalMemory($false) / 1MB, 1)
        PeakWorkingSetMB = [math]::Round($process.PeakWorkingSet64 / 1MB, 1)
    }
}

$replica = Start-TestReplica
try {
    $account = New-ReplicaAccount $replica
    $escaped = [uri]::EscapeDataString($account.Email)
    $midnight = [DateTimeOffset]::new((Get-Date).Date)
    $from = $midnight.AddDays(-12); $until = $midnight.AddDays(-6)
    $span = ($until - $from).TotalMilliseconds
    $chosen = for ($i = 0; $i -lt $DeleteCount; $i++) {
        @{ timestamp = $from.ToUnixTimeMilliseconds() + [long](($i + 0.5) * $span / $DeleteCount); device = 'Garage Echo'; transcript = "garage $i"; response = 'Okay.' }
    }
    $null = Invoke-ReplicaAdmin $replica -Method POST -Path "/__replica/accounts/$escaped/records" -Body @{ records = @($chosen) }
    $null = Invoke-ReplicaAdmin $replica -Method POST -Path "/__replica/accounts/$escaped/records" -Body @{
        generate = @{ count = $Count - $DeleteCount; days = 30; devices = @('Kitchen Echo', 'Bedroom Echo Dot', 'Office Echo Show'); seed = 11 }
    }
    $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $replica.BaseUri

    $list = Measure-Step "List $Count records" { (Get-AlexaVoiceHistory -Session $session | Measure-Object).Count }
    if ($list.Result -ne $Count) { throw "Get-AlexaVoiceHistory returned $($list.Result) records, not $Count." }

    $delete = Measure-Step "Delete $DeleteCount by range" {
        Remove-AlexaVoiceHistory -Session $session -After $from.LocalDateTime -Before $until.LocalDateTime -Device 'Garage Echo' -Confirm:$false
    }
    $removal = $delete.Result
    $left = @(Invoke-ReplicaAdmin $replica -Path "/__replica/accounts/$escaped/records" | ForEach-Object { $_ })
    if ($removal.Deleted -ne $DeleteCount -or $left.Count -ne $Count - $DeleteCount) {
        throw "Remove-AlexaVoiceHistory deleted $($removal.Deleted) (the replica keeps $($left.Count)); expected $DeleteCount deleted and $($Count - $DeleteCount) kept."
    }
    $delete.Result = "$($removal.Deleted) deleted ($($removal.Method))"
    Disconnect-AlexaAccount -Session $session

    # Deletion in volume: a policy run on 18 months of history.
    $old = New-ReplicaAccount $replica
    $oldEscaped = [uri]::EscapeDataString($old.Email)
    $null = Invoke-ReplicaAdmin $replica -Method POST -Path "/__replica/accounts/$oldEscaped/records" -Body @{
        generate = @{ count = $Count; days = $HistoryDays; devices = @('Kitchen Echo', 'Bedroom Echo Dot', 'Office Echo Show'); seed = 17 }
    }
    $stored = @(Invoke-ReplicaAdmin $replica -Path "/__replica/accounts/$oldEscaped/records" | ForEach-Object { $_ })
    $profilePath = Join-Path ([IO.Path]::GetTempPath()) "alexaprivacy-bench-$([guid]::NewGuid().ToString('N')).json"
    Set-Content -Path $profilePath -Value (@{ timeouts = @{ accountSeconds = $AccountSeconds } } | ConvertTo-Json)
    try {
        $oldSession = Connect-AlexaAccount -Email $old.Email -Password $old.SecurePassword -BaseUri $replica.BaseUri -SiteProfile $profilePath -WarningAction SilentlyContinue
        $policy = @{ DeleteRecordingsOlderThan = [timespan]::FromDays($OlderThanDays).ToString() }
        $policyRun = Measure-Step "Policy: delete older than $OlderThanDays days of $Count over $HistoryDays days" {
            Set-AlexaPrivacyPolicy -Session $oldSession -Policy $policy -Confirm:$false -WarningAction SilentlyContinue
        }
        $result = $policyRun.Result
        $cutMs = $result.Cutoff.ToUnixTimeMilliseconds()
        $older = @($stored | Where-Object timestamp -lt $cutMs)
        $left = @(Invoke-ReplicaAdmin $replica -Path "/__replica/accounts/$oldEscaped/records" | ForEach-Object { $_ })
        $wrong = @(Compare-Object ($left.key | Sort-Object) ($stored | Where-Object timestamp -ge $cutMs | ForEach-Object key | Sort-Object)).Count
        if ($null -eq $result.Deletion -or $result.Deletion.Deleted -ne $older.Count -or $wrong -ne 0) {
            throw "The policy run deleted $($result.Deletion.Deleted) of the $($older.Count) records older than the cutoff; $wrong stored record(s) differ from what should be left."
        }
        $perMinute = [math]::Round($older.Count / ($policyRun.Seconds / 60))
        $policyRun.Result = "$($older.Count) deleted ($($result.Deletion.Method)), $perMinute records/min"

        $again = Measure-Step 'Policy again (idempotent)' {
            Set-AlexaPrivacyPolicy -Session $oldSession -Policy $policy -Confirm:$false -WarningAction SilentlyContinue
        }
        $kept = @(Invoke-ReplicaAdmin $replica -Path "/__replica/accounts/$oldEscaped/records" | ForEach-Object { $_ })
        if ($again.Result.RecordingsOlderThanCutoff -ne 0 -or $null -ne $again.Result.Deletion -or @(Compare-Object ($kept.key) ($left.key)).Count -ne 0) {
            throw 'The second policy run found or deleted recordings, or the stored records changed.'
        }
        $again.Result = '0 deleted'
        Disconnect-AlexaAccount -Session $oldSession
    }
    finally {
        Remove-Item $profilePath -ErrorAction SilentlyContinue
    }

    $list, $delete, $policyRun, $again | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
}
finally {
    Stop-TestReplica $replica
}
