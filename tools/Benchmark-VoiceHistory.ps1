#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Measures the voice-history cmdlets against the replica: listing 5,000 records and deleting
    1,000 of them by range, with time and memory.
.DESCRIPTION
    Starts the replica on a free loopback port, seeds one account with -Count records over 30 days
    (of which -DeleteCount sit on one device in six whole days), then measures in this process:
    - Get-AlexaVoiceHistory over the whole history (streamed, counted with Measure-Object);
    - Remove-AlexaVoiceHistory for that device and those days (the page's filters and
      "Delete all of my recordings", then the re-read that checks what is gone).
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
    [int] $DeleteCount = 1000
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

    $list, $delete | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
}
finally {
    Stop-TestReplica $replica
}
