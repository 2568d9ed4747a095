# No orphans: the node driver and the Chromium processes the module starts end with Remove-Module,
# with Ctrl+C (SIGINT) of the pwsh running it, with a normal exit and even when pwsh is killed.
# Each case runs in a child pwsh whose process tree is read from /proc while it is alive.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Get-Descendants {
        param([int] $Root)
        $parents = @{}
        foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            try { $stat = [IO.File]::ReadAllText("$($dir.FullName)/stat") } catch { continue }
            # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
            $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
            $parents[[int]$dir.Name] = [int]$fields[1]
        }
        $found = [Collections.Generic.List[int]]::new()
        $queue = [Collections.Generic.Queue[int]]::new(); $queue.Enqueue($Root)
        while ($queue.Count) {
            $p = $queue.Dequeue()
            foreach ($child in $parents.Keys | Where-Object { $parents[$_] -eq $p }) { $found.Add($child); $queue.Enqueue($child) }
        }
        foreach ($id in $found) {
            $cmd = try { ([IO.File]::ReadAllText("/proc/$id/cmdline") -replace "`0", ' ').Trim() } catch { '' }
            [pscustomobject]@{ Id = $id; CommandLine = $cmd }
        }
    }

    # Browser and driver processes among a tree, as they were when it was read.
    function Select-BrowserProcess { param($Processes) @($Processes | Where-Object { $_.CommandLine -match 'chrom|/node\b|node .*cli\.js|playwright' }) }

    function Test-StillRunning {
        param($Process)
        $cmd = try { ([IO.File]::ReadAllText("/proc/$($Process.Id)/cmdline") -replace "`0", ' ').Trim() } catch { return $false }
        # A zombie has an empty command line; a reused pid has another one.
        $cmd -and $cmd -eq $Process.CommandLine
    }

    function Wait-Gone {
        param($Processes, [int] $Seconds = 15)
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        do {
            $left = @($Processes | Where-Object { Test-StillRunning $_ })
            if (-not $left) { return @() }
            Start-Sleep -Milliseconds 200
        } while ([datetime]::UtcNow -lt $deadline)
        $left
    }

    # Starts a child pwsh (the same one running the tests) on a script; the files in $Signals coordinate with it.
    function Start-ChildPwsh {
        param([string] $Script)
        $file = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $file $Script
        $self = Get-Process -Id $PID
        # Through env --default-signal=INT: a pwsh at a console gets Ctrl+C, but one started in the background by a
        # non-interactive shell (as a CI runner may start the tests) inherits SIGINT ignored, and so would this child.
        $info = [Diagnostics.ProcessStartInfo]::new('env')
        $info.ArgumentList.Add('--default-signal=INT')
        if ($self.ProcessName -eq 'dotnet') { $info.ArgumentList.Add('dotnet'); $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) } else { $info.ArgumentList.Add($self.Path) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $file) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        # Both pipes are read: a child blocked writing to a full pipe would never exit.
        $script:ChildOutput = $process.StandardOutput.ReadToEndAsync()
        $script:ChildErrors = $process.StandardError.ReadToEndAsync()
        $process
    }

    # What the child wrote, for a failure message (once it has exited, or killed after the test).
    function Get-ChildText {
        param($Process)
        if (-not $Process.HasExited) {
            # What the child said last, with times, and which of its processes are still there: where an exit got stuck.
            $said = if ($script:Signals -and (Test-Path "$script:Signals/verbose.log")) { (Get-Content "$script:Signals/verbose.log" -Tail 8) -join ' | ' } else { '(no verbose lines)' }
            $tree = @(Get-Descendants $Process.Id | ForEach-Object { (Get-Content "/proc/$($_.Id)/comm" -ErrorAction SilentlyContinue) }) -join ','
            return "(pid $($Process.Id) still running; threads: $(@(Get-ChildItem "/proc/$($Process.Id)/task" -ErrorAction SilentlyContinue).Count); now $([datetime]::UtcNow.ToString('HH:mm:ss.fff')); its processes: $tree; its last verbose lines: $said)"
        }
        $null = $script:ChildErrors.Wait(5000)
        "exit code $($Process.ExitCode); stderr: $(if ($script:ChildErrors.IsCompleted) { $script:ChildErrors.Result })"
    }

    function Wait-File { param([string] $Path, [int] $Seconds = 90)
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while (-not (Test-Path $Path) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Test-Path $Path
    }

    function New-ChildScript {
        param([string] $Signals, [string] $Email, [string] $Password, [string] $Body)
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$session = Connect-AlexaAccount -Email '$Email' -Password (ConvertTo-SecureString '$Password' -AsPlainText -Force) -BaseUri '$Base'
`$null = Get-AlexaDataSetting -Session `$session
New-Item -ItemType File '$Signals/up' | Out-Null
$Body
"@
    }
}

AfterAll {
    Stop-TestReplica $Replica
}

Describe 'No node or chromium process outlives the module' -Skip:(-not $IsLinux) {
    BeforeEach {
        $script:Signals = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $Signals
        $script:Account = New-ReplicaAccount $Replica
    }
    AfterEach {
        Set-ReplicaFault $Replica @{}
        if ($child -and -not $child.HasExited) { $child.Kill($true) }
    }

    It 'ends them on Remove-Module while pwsh keeps running' {
        $script:child = Start-ChildPwsh (New-ChildScript $Signals $Account.Email $Account.Password @"
while (-not (Test-Path '$Signals/go')) { Start-Sleep -Milliseconds 100 }
Remove-Module AlexaPrivacy
New-Item -ItemType File '$Signals/removed' | Out-Null
while (-not (Test-Path '$Signals/exit')) { Start-Sleep -Milliseconds 100 }
"@)
        Wait-File "$Signals/up" | Should -BeTrue
        $browser = Select-BrowserProcess (Get-Descendants $child.Id)
        $browser.Count | Should -BeGreaterThan 1   # the driver and at least one Chromium
        $null = New-Item -ItemType File "$Signals/go"
        Wait-File "$Signals/removed" | Should -BeTrue
        Wait-Gone $browser | Should -BeNullOrEmpty
        $child.HasExited | Should -BeFalse
        $null = New-Item -ItemType File "$Signals/exit"
        $child.WaitForExit(30000) | Should -BeTrue
    }

    It 'starts no node or browser process at Import-Module alone' {
        $script:child = Start-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$null = Get-Command -Module AlexaPrivacy
New-Item -ItemType File '$Signals/imported' | Out-Null
while (-not (Test-Path '$Signals/exit')) { Start-Sleep -Milliseconds 100 }
"@
        Wait-File "$Signals/imported" | Should -BeTrue
        # A short-lived pwsh that only imports (help, reports, tab completion) pays for no driver: it starts with the first command that needs a browser.
        Start-Sleep -Seconds 2
        Select-BrowserProcess (Get-Descendants $child.Id) | Should -BeNullOrEmpty
        $null = New-Item -ItemType File "$Signals/exit"
        $child.WaitForExit(30000) | Should -BeTrue
    }

    It 'ends them when pwsh exits without Remove-Module' {
        $script:child = Start-ChildPwsh (New-ChildScript $Signals $Account.Email $Account.Password @"
while (-not (Test-Path '$Signals/exit')) { Start-Sleep -Milliseconds 100 }
exit 0
"@)
        Wait-File "$Signals/up" | Should -BeTrue
        $browser = Select-BrowserProcess (Get-Descendants $child.Id)
        $browser.Count | Should -BeGreaterThan 1
        $null = New-Item -ItemType File "$Signals/exit"
        $child.WaitForExit(30000) | Should -BeTrue
        Wait-Gone $browser | Should -BeNullOrEmpty
    }

    It 'ends them when Ctrl+C (SIGINT) stops pwsh in the middle of a hanging page' {
        $script:child = Start-ChildPwsh (New-ChildScript $Signals $Account.Email $Account.Password @"
Get-AlexaDataSetting -Email '$($Account.Email)' -Password (ConvertTo-SecureString '$($Account.Password)' -AsPlainText -Force) -BaseUri '$Base' -Verbose 4>&1 |
    ForEach-Object { Add-Content '$Signals/verbose.log' "`$([datetime]::UtcNow.ToString('HH:mm:ss.fff')) `$_"; if (`$_ -match 'Opening') { New-Item -ItemType File '$Signals/hanging' | Out-Null } }
"@)
        Wait-File "$Signals/up" | Should -BeTrue
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad' } }
        Wait-File "$Signals/hanging" | Should -BeTrue
        Start-Sleep -Seconds 2 # inside the hanging navigation by now
        $browser = Select-BrowserProcess (Get-Descendants $child.Id)
        $browser.Count | Should -BeGreaterThan 1
        # The child takes Ctrl+C as at a console: SIGINT (bit 2 of SigIgn, counted from 1) is not ignored.
        $sigIgn = (@(Get-Content "/proc/$($child.Id)/status" | Where-Object { $_ -like 'SigIgn:*' })[0] -split '\s+')[1]
        $ignored = [Convert]::ToUInt64($sigIgn, 16)
        ($ignored -band 2) | Should -Be 0 -Because 'the child pwsh must not inherit SIGINT ignored'
        & kill -INT $child.Id
        $LASTEXITCODE | Should -Be 0
        Add-Content "$Signals/verbose.log" "$([datetime]::UtcNow.ToString('HH:mm:ss.fff')) (the test sent SIGINT)"
        $child.WaitForExit(20000) | Should -BeTrue -Because "pwsh must end within 20 s of Ctrl+C: $(Get-ChildText $child)"
        Wait-Gone $browser | Should -BeNullOrEmpty
    }

    It 'ends them even when pwsh is killed outright (SIGKILL)' {
        $script:child = Start-ChildPwsh (New-ChildScript $Signals $Account.Email $Account.Password @"
while (`$true) { Start-Sleep -Milliseconds 100 }
"@)
        Wait-File "$Signals/up" | Should -BeTrue
        $browser = Select-BrowserProcess (Get-Descendants $child.Id)
        $browser.Count | Should -BeGreaterThan 1
        & kill -KILL $child.Id
        $child.WaitForExit(20000) | Should -BeTrue
        Wait-Gone $browser -Seconds 20 | Should -BeNullOrEmpty
    }
}
