#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The bulk opt-out benchmark: the module against a reference Playwright script, a naive script, and
    itself at several -ThrottleLimit values, in the same run; the first command of the day; the scaling curve.
.DESCRIPTION
    Starts the replica with generated accounts (half with a TOTP key) whose data requests take
    150-600 ms, then runs each contender in a pwsh process of its own on its own accounts:
      module-seq       Import-Csv | Set-AlexaDataSetting -Enabled $false -ThrottleLimit 1 (-SequentialAccounts)
      module-tlN       the same with -ThrottleLimit N, for each N of -ReferenceThrottleLimits and -ThrottleLimit
      reference-tlN    tools/ReferenceOptOut.js: the shortest correct Playwright script for the same job
                       (one headless shell, N contexts), run by node with the Playwright package the module ships
      module-tl8-full  the module with the full /usr/bin/chromium instead of the headless shell
      baseline         the script a user writes without the module (fresh browser per account, sequential)
    Each prints accounts/min, the ratio to the baseline, CPU core-seconds per account of the whole
    process tree (pwsh, node, every browser process, read from /proc), and the peak memory (sum of
    PSS over the tree, sampled every 0.5 s), then the module / reference ratio at each limit and the
    module's per-phase medians and 95th percentiles. Every contender's accounts are checked in the
    replica afterwards: a run that did not opt out every account is reported as failed.
    -FirstCommandRuns times new pwsh processes doing Import-Module, Connect-AlexaAccount -SessionPath
    and Get-AlexaDataSetting, broken down into driver start, browser launch, context and the page
    that proves the session, beside those pages' own load time (tools/PageLoadTime.js).
    -ScalingAccounts runs the module on that many accounts at each of -ScalingLimits, prints
    accounts/min and peak memory, a recommended limit, and writes an SVG plot (-ScalingSvgPath).
    With -FlatnessAccounts 2000 it also runs that many accounts through the module in one process
    and compares contexts, pages, browser processes and memory after 50, 200, 500, 1,000 and all of them.
    Linux only (it reads /proc). Run it through: ./build.ps1 bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReplicaPath,
    # Accounts for each module run and each reference run (0 skips them).
    [int] $Accounts = 40,
    # Accounts for the baseline (slow: a browser start per account; 0 skips it).
    [int] $BaselineAccounts = 10,
    [int] $ThrottleLimit = 8,
    # Accounts for the module with -ThrottleLimit 1 (0 skips it).
    [int] $SequentialAccounts = 40,
    # The module against the reference script (tools/ReferenceOptOut.js), each on $Accounts accounts of its own, at these limits.
    [string[]] $ReferenceThrottleLimits = @('4', '8'),
    # The browser the reference launches: the headless shell the module finds first.
    [string] $ReferenceBrowserPath = '/usr/bin/chromium-headless-shell',
    # The browser the baseline launches: what a user names when Playwright cannot download its own.
    [string] $BaselineBrowserPath = '/usr/bin/chromium',
    # Also run the module with this full browser to show what the headless shell saves ('' skips it).
    [string] $FullBrowserPath = '/usr/bin/chromium',
    # Accounts for the flatness check (0 skips it); compared after 50, 200, 500, 1,000 and at the end.
    [int] $FlatnessAccounts = 0,
    # Fresh pwsh processes timed for the first command of the day (0 skips it): Import-Module,
    # Connect-AlexaAccount -SessionPath, Get-AlexaDataSetting; medians are printed.
    [int] $FirstCommandRuns = 5,
    # The data latency (ms) while the first command and the pages' own load are timed: one value, the middle of
    # -LatencyMs, so that both wait the same for the data and their difference is the module's own time.
    [int] $FirstCommandLatencyMs = 375,
    # The scaling curve: the module on this many accounts at each limit (0 skips it).
    [int] $ScalingAccounts = 200,
    [string[]] $ScalingLimits = @('1', '2', '4', '8', '16'),
    # Where the scaling curve's plot is written.
    [string] $ScalingSvgPath = (Join-Path $PSScriptRoot '../out/bench/scaling.svg'),
    [int[]] $LatencyMs = @(150, 600)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if (-not $IsLinux) { throw 'The benchmark reads CPU and memory from /proc: run it on Linux.' }
# Lists of limits arrive as '4,8' or '4 8' through -File and build.ps1 -BenchOptions.
$RefLimits = [int[]]@($ReferenceThrottleLimits -split '[,\s]+' | Where-Object { $_ })
$ScaleLimits = [int[]]@($ScalingLimits -split '[,\s]+' | Where-Object { $_ })

$ModulePath = (Resolve-Path $ModulePath).Path
$ModuleDir = Split-Path $ModulePath
# A child pwsh started the way this one was: the repo's dotnet tool runs pwsh.dll under dotnet.
$Self = Get-Process -Id $PID
$PwshCommand = if ($Self.ProcessName -eq 'dotnet') { @($Self.Path, (Join-Path $PSHOME 'pwsh.dll')) } else { @($Self.Path) }
$Work = Join-Path ([IO.Path]::GetTempPath()) "alexaprivacy-bench-$PID"
New-Item -ItemType Directory -Path $Work -Force | Out-Null

# --- process tree figures from /proc ----------------------------------------------------------
$ClockTicks = [double](& getconf CLK_TCK)

# Exact CPU of a contender's whole tree: this process becomes a child subreaper (prctl), so a browser
# process that Chromium or node leaves behind is re-parented here instead of to init; once every such
# orphan has ended and been reaped, getrusage(RUSAGE_CHILDREN) holds the CPU of every process of the tree.
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class BenchTreeCpu
{
    [StructLayout(LayoutKind.Sequential)] private struct TimeValue { public long Seconds; public long Microseconds; }
    [StructLayout(LayoutKind.Sequential)] private struct ResourceUsage
    {
        public TimeValue User; public TimeValue System;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }
    [DllImport("libc", SetLastError = true)] private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
    [DllImport("libc", SetLastError = true)] private static extern int waitpid(int pid, out int status, int options);
    [DllImport("libc", SetLastError = true)] private static extern int getrusage(int who, out ResourceUsage usage);
    public static bool BecomeSubreaper() { return prctl(36, 1, 0, 0, 0) == 0; } // PR_SET_CHILD_SUBREAPER
    public static void Reap(int pid) { int status; waitpid(pid, out status, 1); } // WNOHANG
    public static double ReapedChildrenSeconds()
    {
        ResourceUsage u;
        if (getrusage(-1, out u) != 0) return double.NaN; // RUSAGE_CHILDREN
        return u.User.Seconds + u.User.Microseconds / 1e6 + u.System.Seconds + u.System.Microseconds / 1e6;
    }
}
'@
$ExactCpu = [BenchTreeCpu]::BecomeSubreaper()

# Waits (bounded) until no process but $Keep is a child of this one, reaping the orphans that ended.
function Wait-Orphans {
    param([int[]] $Keep, [int] $Seconds = 20)
    $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while ($true) {
        $left = 0
        foreach ($entry in (Get-ProcessTable).GetEnumerator()) {
            if ($entry.Value.Parent -ne $PID -or $entry.Key -in $Keep) { continue }
            if ($entry.Value.State -eq 'Z') { [BenchTreeCpu]::Reap($entry.Key) } else { $left++ }
        }
        if ($left -eq 0) { return $true }
        if ([datetime]::UtcNow -ge $deadline) { return $false }
        Start-Sleep -Milliseconds 100
    }
}

function Get-ProcessTable {
    # pid -> @{ Parent; State (R, S, Z, ...); Cpu (own + reaped children, in ticks) }
    $table = @{}
    foreach ($dir in [IO.Directory]::GetDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $stat = [IO.File]::ReadAllText("$dir/stat") } catch { continue }
        # Fields after the command name, which sits in parentheses and may hold spaces.
        $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
        $table[[int]$name] = @{ Parent = [int]$fields[1]; State = $fields[0]; Cpu = [double]$fields[11] + [double]$fields[12] + [double]$fields[13] + [double]$fields[14] }
    }
    $table
}

function Get-TreeIds {
    param([int] $Root, $Table)
    $ids = [System.Collections.Generic.List[int]]::new(); $ids.Add($Root)
    for ($i = 0; $i -lt $ids.Count; $i++) {
        foreach ($entry in $Table.GetEnumerator()) { if ($entry.Value.Parent -eq $ids[$i]) { $ids.Add($entry.Key) } }
    }
    $ids
}

# Busy ticks of the whole machine since boot (/proc/stat: user, nice, system, irq, softirq, steal).
function Get-MachineBusyTicks {
    $f = ((Get-Content /proc/stat -TotalCount 1) -split '\s+')
    [double]$f[1] + [double]$f[2] + [double]$f[3] + [double]$f[6] + [double]$f[7] + [double]$f[8]
}

function Get-TreePssMB {
    param([int] $Root)
    $table = Get-ProcessTable
    $total = 0.0
    foreach ($id in Get-TreeIds $Root $table) {
        try {
            $line = [IO.File]::ReadAllLines("/proc/$id/smaps_rollup") | Where-Object { $_ -like 'Pss:*' } | Select-Object -First 1
            if ($line) { $total += [double]($line -replace '\D', '') / 1024 }
        }
        catch { }
    }
    $total
}

# --- the replica ------------------------------------------------------------------------------
function Start-Replica {
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($ReplicaPath, '--port', '0')) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'Listening on (http://\S+)') { throw "The replica printed '$line' instead of its address." }
    $null = $process.StandardError.ReadToEndAsync(); $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; BaseUri = $Matches[1].TrimEnd('/') + '/' }
}

function Invoke-Replica {
    param([string] $Method = 'GET', [string] $Path, $Body)
    $params = @{ Method = $Method; Uri = $script:Replica.BaseUri.TrimEnd('/') + $Path; ContentType = 'application/json' }
    if ($null -ne $Body) { $params.Body = $Body | ConvertTo-Json -Depth 5 }
    Invoke-RestMethod @params
}

function New-TotpKey {
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $bytes = [byte[]]::new(32); [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    $bits = ($bytes | ForEach-Object { [Convert]::ToString($_, 2).PadLeft(8, '0') }) -join ''
    $chars = for ($i = 0; $i + 5 -le $bits.Length; $i += 5) { $alphabet[[Convert]::ToInt32($bits.Substring($i, 5), 2)] }
    (-join $chars) -replace '(.{4})(?!$)', '$1 '
}

function New-Accounts {
    param([string] $Prefix, [int] $Count)
    $rows = for ($i = 0; $i -lt $Count; $i++) {
        $email = '{0}-{1:d4}-{2}@example.com' -f $Prefix, $i, [guid]::NewGuid().ToString('N').Substring(0, 6)
        $password = 'bench-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $key = if ($i % 2 -eq 0) { New-TotpKey } else { '' }
        $body = @{ email = $email; password = $password; marketplace = 'amazon.com'; settings = @{ VoiceRecordingReview = $true } }
        if ($key) { $body.totpSecret = $key }
        $null = Invoke-Replica -Method POST -Path '/__replica/accounts' -Body $body
        [pscustomobject]@{ Email = $email; Password = $password; TotpSecret = $key }
    }
    $csv = Join-Path $Work "$Prefix.csv"
    $rows | Export-Csv $csv -NoTypeInformation
    [pscustomobject]@{ Csv = $csv; Emails = @($rows.Email) }
}

function Test-OptedOut {
    param([string[]] $Emails)
    @($Emails | Where-Object { (Invoke-Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($_))").settings.VoiceRecordingReview -eq $false }).Count
}

# --- the contenders ---------------------------------------------------------------------------
# Each child prints one JSON line starting with RESULT: seconds, CPU ticks of its tree, and notes.
$TreeCpuFunction = @'
function Get-TreeCpuTicks {
    $table = @{}
    foreach ($dir in [IO.Directory]::GetDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $stat = [IO.File]::ReadAllText("$dir/stat") } catch { continue }
        $f = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
        $comm = $stat.Substring($stat.IndexOf('(') + 1, $stat.LastIndexOf(')') - $stat.IndexOf('(') - 1)
        $table[[int]$name] = @{ Parent = [int]$f[1]; Own = [double]$f[11] + [double]$f[12]; Reaped = [double]$f[13] + [double]$f[14]; Comm = $comm }
    }
    $ids = [System.Collections.Generic.List[int]]::new(); $ids.Add($PID)
    for ($i = 0; $i -lt $ids.Count; $i++) { foreach ($e in $table.GetEnumerator()) { if ($e.Value.Parent -eq $ids[$i]) { $ids.Add($e.Key) } } }
    # By kind: pwsh (this process), the driver (node), the browser (every other process, and what node and the
    # browser reaped); 'reaped' is what pwsh itself reaped (a driver or a script that has ended).
    $kinds = @{ pwsh = 0.0; driver = 0.0; browser = 0.0; reaped = 0.0 }
    $sum = 0.0
    foreach ($id in $ids) {
        $p = $table[$id]; $sum += $p.Own + $p.Reaped
        if ($id -eq $PID) { $kinds.pwsh += $p.Own; $kinds.reaped += $p.Reaped }
        elseif ($p.Comm -eq 'node') { $kinds.driver += $p.Own; $kinds.browser += $p.Reaped }
        else { $kinds.browser += $p.Own + $p.Reaped }
    }
    [pscustomobject]@{ Ticks = $sum; Processes = $ids.Count; Kinds = $kinds }
}
'@

$ModuleRun = "param(`$ModulePath, `$Csv, `$Base, `$ThrottleLimit, `$BrowserPath)`n" + $TreeCpuFunction + @'
$ErrorActionPreference = 'Stop'
if ($BrowserPath) { $env:ALEXAPRIVACY_BROWSER_PATH = $BrowserPath }
Import-Module $ModulePath
$rows = Import-Csv $Csv
$host_ = (Get-Module AlexaPrivacy).ImplementingAssembly.GetType('AlexaPrivacy.Browser.BrowserHost')
# The browser the module picks for headless work ($env:ALEXAPRIVACY_BROWSER_PATH, else its own search).
$locator = (Get-Module AlexaPrivacy).ImplementingAssembly.GetType('AlexaPrivacy.Browser.BrowserLocator')
$clock = [System.Diagnostics.Stopwatch]::StartNew()
# -Verbose for the one line per account with its phase durations (PhaseClock); the other verbose lines are dropped.
$all = $rows | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -PassThru -ThrottleLimit $ThrottleLimit -ErrorAction Continue -WarningAction SilentlyContinue -ProgressAction SilentlyContinue -Verbose 4>&1
$seconds = $clock.Elapsed.TotalSeconds
$results = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
$phases = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Phases of *' } | ForEach-Object Message)
$cpu = Get-TreeCpuTicks
'RESULT:' + (@{ Seconds = $seconds; Ticks = $cpu.Ticks; Kinds = $cpu.Kinds; Changed = @($results | Where-Object Changed).Count; Phases = $phases
    Browser = $locator.GetMethod('Find').Invoke($null, @($null, $false)).Description; Contexts = $host_.GetProperty('ContextCount').GetValue($null) } | ConvertTo-Json -Compress)
'@

# The script a user writes with Playwright alone: a fresh browser per account, step by step.
$BaselineRun = "param(`$ModuleDir, `$Csv, `$Base, `$BrowserPath)`n" + $TreeCpuFunction + @'
$ErrorActionPreference = 'Stop'
Add-Type -Path (Join-Path $ModuleDir 'dependencies/Microsoft.Playwright.dll') # the module keeps Playwright (and its driver) in dependencies/
# The module carries the driver's JavaScript but no node: the machine's node runs it.
if (-not $env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH = (Get-Command node -CommandType Application | Select-Object -First 1).Source }
function Get-Totp([string] $Key) {
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $bits = ($Key -replace '\s', '').ToUpper().ToCharArray() | ForEach-Object { [Convert]::ToString($alphabet.IndexOf($_), 2).PadLeft(5, '0') }
    $bits = $bits -join ''
    $bytes = [byte[]]@(for ($i = 0; $i + 8 -le $bits.Length; $i += 8) { [Convert]::ToByte($bits.Substring($i, 8), 2) })
    $counter = [BitConverter]::GetBytes([long][Math]::Floor([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() / 30))
    [Array]::Reverse($counter)
    $hash = [System.Security.Cryptography.HMACSHA1]::new($bytes).ComputeHash($counter)
    $o = $hash[19] -band 0xf
    $code = (([int]$hash[$o] -band 0x7f) -shl 24) -bor ([int]$hash[$o + 1] -shl 16) -bor ([int]$hash[$o + 2] -shl 8) -bor [int]$hash[$o + 3]
    ($code % 1000000).ToString('000000')
}
# Clicks wait for the navigation they start; the next Fill waits for its field to appear.
function Wait([object] $Task) { $Task.GetAwaiter().GetResult() }
$playwright = Wait ([Microsoft.Playwright.Playwright]::CreateAsync())
$rows = Import-Csv $Csv
$changed = 0
$clock = [System.Diagnostics.Stopwatch]::StartNew()
foreach ($row in $rows) {
    $browser = Wait ($playwright.Chromium.LaunchAsync([Microsoft.Playwright.BrowserTypeLaunchOptions]@{ Headless = $true; ExecutablePath = $BrowserPath }))
    try {
        $page = Wait ($browser.NewPageAsync())
        $null = Wait ($page.GotoAsync($Base + 'alexa-privacy/apd/myad'))
        $null = Wait ($page.Locator('#ap_email').FillAsync($row.Email))
        $null = Wait ($page.Locator('#continue').ClickAsync())
        $null = Wait ($page.Locator('#ap_password').FillAsync($row.Password))
        $null = Wait ($page.Locator('#signInSubmit').ClickAsync())
        if ($row.TotpSecret) {
            $null = Wait ($page.Locator('#auth-mfa-otpcode').FillAsync((Get-Totp $row.TotpSecret)))
            $null = Wait ($page.Locator('#auth-signin-button').ClickAsync())
        }
        $switch = $page.GetByRole([Microsoft.Playwright.AriaRole]::Switch, [Microsoft.Playwright.PageGetByRoleOptions]@{ NameRegex = [regex]'^\W*Use of Voice Recordings\W*$' })
        try { $null = Wait ($switch.WaitForAsync()) }
        catch { throw "No switch on $($page.Url): $((Wait ($page.Locator('body').InnerTextAsync())) -replace '\s+', ' ')" }
        if (Wait ($switch.IsCheckedAsync())) {
            $null = Wait ($switch.ClickAsync())
            $null = Wait ($page.GetByRole([Microsoft.Playwright.AriaRole]::Button, [Microsoft.Playwright.PageGetByRoleOptions]@{ Name = 'Turn Off'; Exact = $true }).ClickAsync())
            while (Wait ($switch.IsCheckedAsync())) { Start-Sleep -Milliseconds 100 }
            $null = Wait ($page.ReloadAsync())
            $null = Wait ($switch.WaitForAsync())
            if (Wait ($switch.IsCheckedAsync())) { throw "Amazon did not keep the change for $($row.Email)." }
            $changed++
        }
    }
    finally {
        $null = Wait ($browser.CloseAsync())
    }
}
$seconds = $clock.Elapsed.TotalSeconds
$cpu = Get-TreeCpuTicks
'RESULT:' + (@{ Seconds = $seconds; Ticks = $cpu.Ticks; Kinds = $cpu.Kinds; Changed = $changed; Browser = $BrowserPath; Contexts = 0 } | ConvertTo-Json -Compress)
$playwright.Dispose()
'@

# The reference (tools/ReferenceOptOut.js) under node, with the Playwright package the module ships:
# this pwsh only starts it and reads the CPU of the tree it leaves (node reaps the browser).
$ReferenceRun = "param(`$ModuleDir, `$Csv, `$Base, `$ThrottleLimit, `$BrowserPath, `$Script)`n" + $TreeCpuFunction + @'
$ErrorActionPreference = 'Stop'
$node = if ($env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH } else { (Get-Command node -CommandType Application | Select-Object -First 1).Source }
$out = & $node $Script (Join-Path $ModuleDir 'dependencies/.playwright/package') $Csv $Base $ThrottleLimit $BrowserPath
$out | Where-Object { $_ -notlike 'RESULT:*' } | ForEach-Object { [Console]::Error.WriteLine($_) }
$line = $out | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
if (-not $line) { throw "The reference printed no result (exit code $LASTEXITCODE): $out" }
$r = $line.Substring(7) | ConvertFrom-Json
$cpu = Get-TreeCpuTicks
'RESULT:' + (@{ Seconds = $r.Seconds; Ticks = $cpu.Ticks; Kinds = $cpu.Kinds; Changed = $r.Changed; Browser = $BrowserPath; Contexts = 0 } | ConvertTo-Json -Compress)
'@

function Invoke-Contender {
    param([string] $Name, [string] $Script, [object[]] $Arguments, $Set)
    $file = Join-Path $Work "$Name.ps1"
    Set-Content $file $Script
    $info = [System.Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
    foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file) + $Arguments) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    Write-Host "Running $Name on $(@($Set.Emails).Count) accounts..."
    $busyBefore = Get-MachineBusyTicks
    $reapedBefore = [BenchTreeCpu]::ReapedChildrenSeconds()
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
    $peak = 0.0
    while (-not $process.HasExited) {
        $pss = Get-TreePssMB $process.Id
        if ($pss -gt $peak) { $peak = $pss }
        Start-Sleep -Milliseconds 500
    }
    $process.WaitForExit()
    $busy = (Get-MachineBusyTicks) - $busyBefore
    $whole = if ($ExactCpu -and (Wait-Orphans -Keep @($script:Replica.Process.Id))) { [BenchTreeCpu]::ReapedChildrenSeconds() - $reapedBefore } else { [double]::NaN }
    $line = ($stdout.Result -split "`n" | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1)
    if (-not $line) { throw "$Name printed no result (exit code $($process.ExitCode)): $($stdout.Result) $(($stderr.Result -replace '\x1b\[[0-9;]*m', '') -replace '\s+', ' ')" }
    $r = $line.Substring(7) | ConvertFrom-Json
    $count = @($Set.Emails).Count
    $optedOut = Test-OptedOut $Set.Emails
    [pscustomobject]@{
        Contender          = $Name
        Accounts           = $count
        OptedOut           = $optedOut
        Seconds            = [Math]::Round($r.Seconds, 1)
        AccountsPerMin     = [Math]::Round($count / $r.Seconds * 60, 1)
        CoreSecPerAccount  = [Math]::Round($r.Ticks / $ClockTicks / $count, 2)
        # Every process of the tree, orphans included, from getrusage once all are reaped (NaN when that failed).
        TreeCoreSecPerAccount = [Math]::Round($whole / $count, 2)
        # The whole machine's busy CPU over the run (the replica and anything else running included): no
        # process escapes it, as browser processes re-parented away from the tree escape the figure above.
        MachineCoreSecPerAccount = [Math]::Round($busy / $ClockTicks / $count, 2)
        PeakMemoryMB       = [Math]::Round($peak)
        Browser            = $r.Browser
        ContextsLeft       = $r.Contexts
        Phases             = @(if ($r.PSObject.Properties['Phases']) { $r.Phases })
        # Core-seconds per account by process kind (see Get-TreeCpuTicks).
        CpuByKind          = if ($r.PSObject.Properties['Kinds']) { ($r.Kinds.PSObject.Properties | Sort-Object Name | ForEach-Object { '{0} {1:0.00}' -f $_.Name, ($_.Value / $ClockTicks / $count) }) -join ', ' }
    }
}

# Where an account's time goes: "Phases of <account> (ms): slot=12 context=310 ... total=2900" lines
# (one per account, from -Verbose) as a table of each phase's median and 95th percentile (nearest rank).
function Format-PhaseTable {
    param([string[]] $Lines)
    $values = [ordered]@{}
    foreach ($line in $Lines) {
        foreach ($m in [regex]::Matches(($line -replace '^.*\(ms\):\s*', ''), '(\S+)=(\d+)')) {
            $name = $m.Groups[1].Value
            if (-not $values.Contains($name)) { $values[$name] = [System.Collections.Generic.List[double]]::new() }
            $values[$name].Add([double]$m.Groups[2].Value)
        }
    }
    foreach ($name in @($values.Keys | Where-Object { $_ -ne 'total' }) + @($values.Keys | Where-Object { $_ -eq 'total' })) {
        $sorted = @($values[$name] | Sort-Object)
        $rank = { param($p) $sorted[[Math]::Max(0, [Math]::Ceiling($p * $sorted.Count) - 1)] }
        [pscustomobject]@{ Phase = $name; Accounts = $sorted.Count; MedianMs = [int](& $rank 0.5); P95Ms = [int](& $rank 0.95); MaxMs = [int]$sorted[-1] }
    }
}

# --- flatness: 50 accounts, then on to 200, 500, 1,000 and the rest, in one process -------------
$FlatnessRun = @'
param($ModulePath, $Csv, $Base, $ThrottleLimit)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$rows = @(Import-Csv $Csv)
$hostType = (Get-Module AlexaPrivacy).ImplementingAssembly.GetType('AlexaPrivacy.Browser.BrowserHost')
function Get-Snapshot([int] $Done) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $browsers = $hostType.GetField('Browsers', [Reflection.BindingFlags]'Static,NonPublic').GetValue($null).Values
    $pages = 0; foreach ($b in $browsers) { foreach ($c in $b.Contexts) { $pages += $c.Pages.Count } }
    $self = Get-Process -Id $PID
    [pscustomobject]@{ Done = $Done; Contexts = $hostType.GetProperty('ContextCount').GetValue($null); Pages = $pages
        ManagedMB = [Math]::Round([GC]::GetTotalMemory($true) / 1MB, 1); PwshRssMB = [Math]::Round($self.WorkingSet64 / 1MB) }
}
# Snapshots after 50, 200, 500 and 1,000 accounts (those below the count) and after the last.
$points = @(@(50, 200, 500, 1000) | Where-Object { $_ -lt $rows.Count }) + $rows.Count
$done = 0
foreach ($point in $points) {
    $rows[$done..($point - 1)] | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -ThrottleLimit $ThrottleLimit -ProgressAction SilentlyContinue -WarningAction SilentlyContinue
    $done = $point
    'SNAPSHOT:' + (Get-Snapshot $done | ConvertTo-Json -Compress)
    [Console]::Out.Flush(); Start-Sleep -Seconds 3
}
'@

function Invoke-Flatness {
    param($Set)
    $file = Join-Path $Work 'flatness.ps1'
    Set-Content $file $FlatnessRun
    $info = [System.Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
    foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file, $ModulePath, $Set.Csv, $Replica.BaseUri, $ThrottleLimit)) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    Write-Host "Running the flatness check on $(@($Set.Emails).Count) accounts..."
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardError.ReadToEndAsync()
    $snapshots = @()
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        if ($line -notlike 'SNAPSHOT:*') { continue }
        $s = $line.Substring(9) | ConvertFrom-Json
        # Measured while the child sleeps after the batch: its tree as it stands between runs.
        Start-Sleep -Milliseconds 500
        $table = Get-ProcessTable
        $tree = Get-TreeIds $process.Id $table
        $s | Add-Member TreeProcesses $tree.Count
        $s | Add-Member TreePssMB ([Math]::Round((Get-TreePssMB $process.Id)))
        $snapshots += $s
    }
    $process.WaitForExit()
    $snapshots
}


# --- the first command of the day: a new pwsh, a saved session, one read ---------------------------
$SaveSessionRun = @'
param($ModulePath, $Email, $Password, $SessionPath, $Base)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$session = Connect-AlexaAccount -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -SessionPath $SessionPath -BaseUri $Base -WarningAction SilentlyContinue
Disconnect-AlexaAccount -Session $session
'SAVED'
'@

# Marks in ms from the script's first line; -Verbose lines tell when the driver ran and the browser started.
$FirstCommandRun = @'
param($ModulePath, $SessionPath, $Base)
$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$marks = [ordered]@{ pwsh = ([DateTime]::Now - (Get-Process -Id $PID).StartTime).TotalMilliseconds }
Import-Module $ModulePath
$marks.import = $clock.Elapsed.TotalMilliseconds
Connect-AlexaAccount -SessionPath $SessionPath -BaseUri $Base -Verbose 4>&1 | ForEach-Object {
    $now = $clock.Elapsed.TotalMilliseconds
    if ($_ -isnot [System.Management.Automation.VerboseRecord]) { return }
    if ($_.Message -like 'Opening *') { $marks.opening = $now }
    elseif ($_.Message -like "Playwright's driver*") { $marks.driver = $now }
    elseif ($_.Message -like 'Chromium runs*') { $marks.browser = $now }
    elseif ($_.Message -match '^Phases of .*context=(\d+).*first-page=(\d+)') { $marks.contextLap = [double]$Matches[1]; $marks.pageLap = [double]$Matches[2] }
}
$marks.connect = $clock.Elapsed.TotalMilliseconds
$settings = @(Get-AlexaDataSetting)
$marks.read = $clock.Elapsed.TotalMilliseconds
if (-not ($settings | Where-Object Name -eq 'VoiceRecordingReview')) { throw 'The first read did not return the human-review setting.' }
'RESULT:' + ($marks | ConvertTo-Json -Compress)
'@

function Invoke-Child {
    param([string] $Name, [string] $Script, [object[]] $Arguments)
    $file = Join-Path $Work "$Name.ps1"
    Set-Content $file $Script
    $info = [System.Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
    foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file) + $Arguments) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ Out = $stdout.Result; Error = (($stderr.Result -replace '\x1b\[[0-9;]*m', '') -replace '\s+', ' '); ExitCode = $process.ExitCode }
}

function Get-Median([double[]] $Values) { $sorted = @($Values | Sort-Object); if ($sorted.Count) { $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)] } }

function Measure-FirstCommand {
    # An account without a key (a saved session needs no code), its sign-in saved once, untimed.
    $email = 'first-{0}@example.com' -f [guid]::NewGuid().ToString('N').Substring(0, 8)
    $password = 'bench-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $null = Invoke-Replica -Method POST -Path '/__replica/accounts' -Body @{ email = $email; password = $password; marketplace = 'amazon.com'; settings = @{ VoiceRecordingReview = $true } }
    $sessionPath = Join-Path $Work 'first.session'
    $saved = Invoke-Child 'save-session' $SaveSessionRun @($ModulePath, $email, $password, $sessionPath, $Replica.BaseUri)
    if ($saved.Out -notmatch 'SAVED') { throw "Saving the session for the first-command run failed: $($saved.Error)" }
    Write-Host "Running the first command of the day $FirstCommandRuns times (a new pwsh each time), data latency $FirstCommandLatencyMs ms..."
    Invoke-Replica -Method PUT -Path '/__replica/faults' -Body @{ latencyMs = @($FirstCommandLatencyMs, $FirstCommandLatencyMs) } | Out-Null
    try {
        $runs = for ($i = 0; $i -lt $FirstCommandRuns; $i++) {
            $r = Invoke-Child 'first-command' $FirstCommandRun @($ModulePath, $sessionPath, $Replica.BaseUri)
            $line = $r.Out -split "`n" | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
            if (-not $line) { throw "The first-command run printed no result (exit code $($r.ExitCode)): $($r.Out) $($r.Error)" }
            $m = $line.Substring(7) | ConvertFrom-Json
            $launch = $m.browser - $m.driver
            [pscustomobject]@{
                Pwsh = $m.pwsh; Import = $m.import; ConnectStart = $m.opening - $m.import; DriverStart = $m.driver - $m.opening
                BrowserLaunch = $launch; Context = [Math]::Max(0, $m.contextLap - ($m.browser - $m.opening)); ProofPage = $m.pageLap
                ConnectRest = $m.connect - $m.opening - $m.contextLap - $m.pageLap; FirstRead = $m.read - $m.connect
                ImportConnectRead = $m.read
            }
        }
        # The pages' own load times: Playwright alone, in a running browser with a signed-in context.
        $node = if ($env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH } else { (Get-Command node -CommandType Application | Select-Object -First 1).Source }
        $out = & $node (Join-Path $PSScriptRoot 'PageLoadTime.js') (Join-Path $ModuleDir 'dependencies/.playwright/package') $Replica.BaseUri $email $password $ReferenceBrowserPath 9 'alexa-privacy/apd/home' 'alexa-privacy/apd/myad'
    }
    finally {
        Invoke-Replica -Method PUT -Path '/__replica/faults' -Body @{ latencyMs = $LatencyMs } | Out-Null
    }
    $line = $out | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
    if (-not $line) { throw "PageLoadTime.js printed no result: $out" }
    $pages = $line.Substring(7) | ConvertFrom-Json
    $hub = Get-Median $pages.'alexa-privacy/apd/home'; $settingsPage = Get-Median $pages.'alexa-privacy/apd/myad'
    $median = [ordered]@{}
    foreach ($name in $runs[0].PSObject.Properties.Name) { $median[$name] = [int][Math]::Round((Get-Median @($runs | ForEach-Object $name))) }
    Write-Host ''
    Write-Host "The first command of the day: a new pwsh runs Import-Module, Connect-AlexaAccount -SessionPath (which proves the session on the hub page) and Get-AlexaDataSetting (the settings page); medians of $FirstCommandRuns runs, ms:"
    $rowsOut = @(
        foreach ($name in 'Pwsh', 'Import', 'ConnectStart', 'DriverStart', 'BrowserLaunch', 'Context', 'ProofPage', 'ConnectRest', 'FirstRead', 'ImportConnectRead') {
            [pscustomobject]@{ Step = $name; MedianMs = $median[$name]; Runs = (@($runs | ForEach-Object { [Math]::Round($_.$name) }) -join ' ') }
        }
    )
    $rowsOut | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    $own = $hub + $settingsPage
    Write-Host ("The pages' own load (Playwright alone, median of 9, data latency $FirstCommandLatencyMs ms): hub {0} ms, settings {1} ms. Import + connect + first read: {2} ms = {3} ms on top of both pages' own load (goal < 1500), {4} ms on top of the settings page's alone." -f $hub, $settingsPage, $median.ImportConnectRead, ($median.ImportConnectRead - $own), ($median.ImportConnectRead - $settingsPage))
}

# --- the scaling curve -----------------------------------------------------------------------------
function New-ScalingSvg {
    param($Points, [string] $Title)
    $w = 640; $h = 360; $left = 60; $right = 60; $top = 40; $bottom = 50
    $pw = $w - $left - $right; $ph = $h - $top - $bottom
    $maxRate = [Math]::Ceiling((($Points | Measure-Object AccountsPerMin -Maximum).Maximum * 1.15) / 10) * 10
    $maxMem = [Math]::Ceiling((($Points | Measure-Object PeakMemoryMB -Maximum).Maximum * 1.15) / 100) * 100
    $xs = @($Points | ForEach-Object { [Math]::Log($_.ThrottleLimit, 2) }); $xMax = [Math]::Max(1, ($xs | Measure-Object -Maximum).Maximum)
    $x = { param($t) $left + [Math]::Log($t, 2) / $xMax * $pw }
    $inv = [Globalization.CultureInfo]::InvariantCulture
    $f = { param($v) ([double]$v).ToString('0.#', $inv) }
    $rate = ($Points | ForEach-Object { '{0},{1}' -f (& $f (& $x $_.ThrottleLimit)), (& $f ($top + $ph - $_.AccountsPerMin / $maxRate * $ph)) }) -join ' '
    $mem = ($Points | ForEach-Object { '{0},{1}' -f (& $f (& $x $_.ThrottleLimit)), (& $f ($top + $ph - $_.PeakMemoryMB / $maxMem * $ph)) }) -join ' '
    $svg = [System.Text.StringBuilder]::new()
    $null = $svg.AppendLine("<svg xmlns=`"http://www.w3.org/2000/svg`" width=`"$w`" height=`"$h`" font-family=`"sans-serif`" font-size=`"12`">")
    $null = $svg.AppendLine("<rect width=`"$w`" height=`"$h`" fill=`"white`"/>")
    $null = $svg.AppendLine("<text x=`"$($w / 2)`" y=`"20`" text-anchor=`"middle`" font-size=`"14`">$([Security.SecurityElement]::Escape($Title))</text>")
    $null = $svg.AppendLine("<line x1=`"$left`" y1=`"$($top + $ph)`" x2=`"$($left + $pw)`" y2=`"$($top + $ph)`" stroke=`"black`"/><line x1=`"$left`" y1=`"$top`" x2=`"$left`" y2=`"$($top + $ph)`" stroke=`"black`"/><line x1=`"$($left + $pw)`" y1=`"$top`" x2=`"$($left + $pw)`" y2=`"$($top + $ph)`" stroke=`"black`"/>")
    foreach ($p in $Points) {
        $px = & $f (& $x $p.ThrottleLimit)
        $null = $svg.AppendLine("<text x=`"$px`" y=`"$($top + $ph + 18)`" text-anchor=`"middle`">$($p.ThrottleLimit)</text>")
    }
    foreach ($i in 0..4) {
        $y = & $f ($top + $ph - $i / 4 * $ph)
        $null = $svg.AppendLine("<text x=`"$($left - 6)`" y=`"$y`" text-anchor=`"end`" fill=`"#1f77b4`">$(& $f ($maxRate * $i / 4))</text><text x=`"$($left + $pw + 6)`" y=`"$y`" fill=`"#d62728`">$(& $f ($maxMem * $i / 4))</text>")
    }
    $null = $svg.AppendLine("<text x=`"$($left + $pw / 2)`" y=`"$($h - 10)`" text-anchor=`"middle`">-ThrottleLimit</text>")
    $null = $svg.AppendLine("<text x=`"14`" y=`"$($top + $ph / 2)`" transform=`"rotate(-90 14 $($top + $ph / 2))`" text-anchor=`"middle`" fill=`"#1f77b4`">accounts/min</text>")
    $null = $svg.AppendLine("<text x=`"$($w - 10)`" y=`"$($top + $ph / 2)`" transform=`"rotate(90 $($w - 10) $($top + $ph / 2))`" text-anchor=`"middle`" fill=`"#d62728`">peak memory, MB (PSS)</text>")
    $null = $svg.AppendLine("<polyline points=`"$rate`" fill=`"none`" stroke=`"#1f77b4`" stroke-width=`"2`"/><polyline points=`"$mem`" fill=`"none`" stroke=`"#d62728`" stroke-width=`"2`" stroke-dasharray=`"6 4`"/>")
    foreach ($p in $Points) {
        $px = & $f (& $x $p.ThrottleLimit)
        $null = $svg.AppendLine("<circle cx=`"$px`" cy=`"$(& $f ($top + $ph - $p.AccountsPerMin / $maxRate * $ph))`" r=`"3`" fill=`"#1f77b4`"/><circle cx=`"$px`" cy=`"$(& $f ($top + $ph - $p.PeakMemoryMB / $maxMem * $ph))`" r=`"3`" fill=`"#d62728`"/>")
    }
    $null = $svg.AppendLine('</svg>')
    $svg.ToString()
}

function Measure-Scaling {
    $points = foreach ($t in $ScaleLimits) {
        $set = New-Accounts "scale$t" $ScalingAccounts
        $r = Invoke-Contender "scale-tl$t" $ModuleRun @($ModulePath, $set.Csv, $Replica.BaseUri, $t, '') $set
        [pscustomobject]@{ ThrottleLimit = $t; Accounts = $r.Accounts; OptedOut = $r.OptedOut; Seconds = $r.Seconds; AccountsPerMin = $r.AccountsPerMin; CoreSecPerAccount = $r.CoreSecPerAccount; PeakMemoryMB = $r.PeakMemoryMB }
    }
    $load = (Get-Content /proc/loadavg -Raw).Trim()
    $best = ($points | Measure-Object AccountsPerMin -Maximum).Maximum
    # The default the machine carries: the smallest limit within 10 % of the best rate (more only adds memory).
    $recommended = ($points | Where-Object { $_.AccountsPerMin -ge 0.9 * $best } | Sort-Object ThrottleLimit | Select-Object -First 1).ThrottleLimit
    Write-Host ''
    Write-Host "Scaling: the module on $ScalingAccounts accounts at each -ThrottleLimit (one pwsh each; peak memory is the PSS of pwsh, node and the browser); load average after: $load"
    $points | Format-Table ThrottleLimit, Accounts, OptedOut, Seconds, AccountsPerMin, CoreSecPerAccount, PeakMemoryMB -AutoSize | Out-String | Write-Host
    Write-Host "Recommended -ThrottleLimit on this machine ($([Environment]::ProcessorCount) cores): $recommended (the smallest within 10 % of the best rate, $best accounts/min)"
    $folder = Split-Path $ScalingSvgPath
    if ($folder) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
    Set-Content -Path $ScalingSvgPath -Value (New-ScalingSvg $points "Set-AlexaDataSetting, $ScalingAccounts accounts, $([Environment]::ProcessorCount) cores, load average $(($load -split ' ')[0])") -Encoding utf8
    Write-Host "Plot: $((Resolve-Path $ScalingSvgPath).Path)"
    $points
}

# --- run ---------------------------------------------------------------------------------------
$script:Replica = Start-Replica
try {
    Invoke-Replica -Method PUT -Path '/__replica/faults' -Body @{ latencyMs = $LatencyMs } | Out-Null
    $limits = @(if ($Accounts -gt 0) { @($RefLimits) + $ThrottleLimit | Where-Object { $_ -gt 0 } | Select-Object -Unique })
    $sets = [ordered]@{}
    if ($SequentialAccounts -gt 0) { $sets['module-seq'] = New-Accounts 'seq' $SequentialAccounts }
    foreach ($t in $limits) {
        $sets["module-tl$t"] = New-Accounts "tl$t" $Accounts
        if ($t -in $RefLimits) { $sets["reference-tl$t"] = New-Accounts "ref$t" $Accounts }
    }
    if ($Accounts -le 0) { $FullBrowserPath = '' }
    if ($FullBrowserPath) { $sets['module-tl8-full'] = New-Accounts 'full' $Accounts }
    if ($BaselineAccounts -gt 0) { $sets['baseline'] = New-Accounts 'base' $BaselineAccounts }
    $loadBefore = (Get-Content /proc/loadavg -Raw).Trim()

    $rows = @()
    if ($SequentialAccounts -gt 0) {
        $rows += Invoke-Contender 'module-seq' $ModuleRun @($ModulePath, $sets['module-seq'].Csv, $Replica.BaseUri, 1, '') $sets['module-seq']
    }
    # The module and the reference one after the other at each limit, so both meet the same load.
    foreach ($t in $limits) {
        $rows += Invoke-Contender "module-tl$t" $ModuleRun @($ModulePath, $sets["module-tl$t"].Csv, $Replica.BaseUri, $t, '') $sets["module-tl$t"]
        if ($t -in $RefLimits) {
            $rows += Invoke-Contender "reference-tl$t" $ReferenceRun @($ModuleDir, $sets["reference-tl$t"].Csv, $Replica.BaseUri, $t, $ReferenceBrowserPath, (Join-Path $PSScriptRoot 'ReferenceOptOut.js')) $sets["reference-tl$t"]
        }
    }
    if ($FullBrowserPath) {
        $rows += Invoke-Contender "module-tl$ThrottleLimit-full" $ModuleRun @($ModulePath, $sets['module-tl8-full'].Csv, $Replica.BaseUri, $ThrottleLimit, $FullBrowserPath) $sets['module-tl8-full']
    }
    if ($BaselineAccounts -gt 0) {
        $rows += Invoke-Contender 'baseline' $BaselineRun @($ModuleDir, $sets['baseline'].Csv, $Replica.BaseUri, $BaselineBrowserPath) $sets['baseline']
    }
    $loadAfter = (Get-Content /proc/loadavg -Raw).Trim()

    $baseline = $rows | Where-Object Contender -eq 'baseline' | ForEach-Object AccountsPerMin | Select-Object -First 1
    foreach ($r in $rows) { $r | Add-Member -NotePropertyName VsBaseline -NotePropertyValue $(if ($baseline) { [Math]::Round($r.AccountsPerMin / $baseline, 1) }) }

    Write-Host ''
    Write-Host "Bulk opt-out: replica data latency $($LatencyMs -join '-') ms, $([Environment]::ProcessorCount) cores, $((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')"
    Write-Host "Load average before: $loadBefore; after: $loadAfter (other work on the machine skews the figures)"
    $rows | Format-Table Contender, Accounts, OptedOut, Seconds, AccountsPerMin, VsBaseline, CoreSecPerAccount, TreeCoreSecPerAccount, MachineCoreSecPerAccount, PeakMemoryMB, ContextsLeft, Browser -AutoSize | Out-String -Width 220 | Write-Host
    foreach ($r in $rows | Where-Object CpuByKind) { Write-Host "CPU by process, core-s/account, $($r.Contender): $($r.CpuByKind)" }
    foreach ($t in $RefLimits) {
        $m = $rows | Where-Object Contender -eq "module-tl$t"; $ref = $rows | Where-Object Contender -eq "reference-tl$t"
        if ($m -and $ref) {
            Write-Host ("Module / reference at -ThrottleLimit {0}: {1:0.00} ({2} against {3} accounts/min; goal >= 0.95)" -f $t, ($m.AccountsPerMin / $ref.AccountsPerMin), $m.AccountsPerMin, $ref.AccountsPerMin)
        }
    }
    Write-Host ''
    foreach ($r in $rows | Where-Object { @($_.Phases).Count -gt 0 }) {
        Write-Host "Where an account's time goes, $($r.Contender) (Set-AlexaDataSetting -Verbose, one line per account; 'slot' is the wait for a -ThrottleLimit slot, 'other' what no phase names):"
        Format-PhaseTable $r.Phases | Format-Table Phase, Accounts, MedianMs, P95Ms, MaxMs -AutoSize | Out-String -Width 160 | Write-Host
    }

    if ($FlatnessAccounts -gt 50) {
        $set = New-Accounts 'flat' $FlatnessAccounts
        $snapshots = Invoke-Flatness $set
        Write-Host "Flatness: the module on $FlatnessAccounts accounts in one process (-ThrottleLimit $ThrottleLimit); $(Test-OptedOut $set.Emails) opted out"
        $snapshots | Format-Table Done, Contexts, Pages, ManagedMB, PwshRssMB, TreeProcesses, TreePssMB -AutoSize | Out-String | Write-Host
    }

    if ($FirstCommandRuns -gt 0) { Measure-FirstCommand }
    if ($ScalingAccounts -gt 0) { $rows += @(Measure-Scaling | ForEach-Object { [pscustomobject]@{ Contender = "scale-tl$($_.ThrottleLimit)"; Accounts = $_.Accounts; OptedOut = $_.OptedOut } }) }

    $failed = @($rows | Where-Object { $_.OptedOut -ne $_.Accounts })
    if ($failed) {
        Write-Host "Not every account was opted out by: $($failed.Contender -join ', ')"
        exit 1
    }
}
finally {
    if (-not $Replica.Process.HasExited) { $Replica.Process.Kill($true) }
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}
