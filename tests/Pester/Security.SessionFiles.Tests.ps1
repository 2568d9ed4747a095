# Session files on disk: an earlier version's "<file>.account" side file is taken over once, only
# when it is a regular owner-only file of the user, and never decides where credentials go; a link
# or a FIFO at a session file's name is refused at once (bounded: a read that blocks fails the
# test); completion does not offer side files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    # A second site on another loopback port: where a planted file would send the browser.
    $script:Other = Start-TestReplica

    function Get-Requests { param($Site) (Invoke-ReplicaAdmin $Site -Path '/__replica/stats').requests }

    # A session file as an older version wrote it: the browser state alone, its account in a side file.
    function New-LegacySession {
        param($Account, [string] $Path, [string] $SideBaseUri, [string] $SideMode = '600')
        Connect-AlexaAccount -Email $Account.Email -Password $Account.SecurePassword -BaseUri $Base -SessionPath $Path | Disconnect-AlexaAccount
        $node = [System.Text.Json.Nodes.JsonNode]::Parse([IO.File]::ReadAllText($Path))
        $null = $node.AsObject().Remove('alexaPrivacy')
        [IO.File]::WriteAllText($Path, $node.ToJsonString()) # the file stays 0600
        if ($SideBaseUri) {
            $side = "$Path.account"
            [IO.File]::WriteAllText($side, (@{ Account = $Account.Email; Marketplace = 'amazon.com'; BaseUri = $SideBaseUri } | ConvertTo-Json -Compress))
            & chmod $SideMode $side
        }
    }

    # Runs a command in its own runspace and waits at most $Seconds: a read that blocks fails the test instead of hanging it.
    function Invoke-Bounded {
        param([string] $Command, [hashtable] $Arguments, [int] $Seconds = 60, [string] $Fifo)
        $ps = [powershell]::Create()
        # $Command is one command line; its errors are collected, never shown.
        $null = $ps.AddScript("param(`$ModulePath, `$A) Import-Module `$ModulePath; `$err = `$null; `$out = $Command -ErrorVariable err -ErrorAction SilentlyContinue; [pscustomobject]@{ Out = `$out; Errors = @(`$err) }").
            AddArgument($ModulePath).AddArgument($Arguments)
        $handle = $ps.BeginInvoke()
        $finished = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($Seconds))
        if (-not $finished) {
            # Unblock a reader stuck on the FIFO so the runspace can end.
            if ($Fifo) { try { $w = [IO.File]::OpenWrite($Fifo); $w.Dispose() } catch { } }
            $null = $ps.BeginStop($null, $null)
            return [pscustomobject]@{ Finished = $false; Result = $null }
        }
        $result = $ps.EndInvoke($handle) | Select-Object -Last 1
        $ps.Dispose()
        [pscustomobject]@{ Finished = $true; Result = $result }
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
    Stop-TestReplica $Other
}

Describe 'Side files of older versions' -Skip:$IsWindows {
    It 'moves an owner-only side file into the session file once, and removes it' {
        $a = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive 'legacy.session'
        New-LegacySession $a $file -SideBaseUri $Base
        $session = Connect-AlexaAccount -SessionPath $file -BaseUri $Base -ErrorAction Stop
        $session.Account | Should -Be $a.Email
        $session.Reused | Should -BeTrue
        Disconnect-AlexaAccount -Session $session
        Test-Path "$file.account" | Should -BeFalse
        (Get-Content $file -Raw | ConvertFrom-Json).alexaPrivacy.account | Should -Be $a.Email
        [int](Get-Item $file).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
    }

    It 'takes nothing from a side file that others can write, and the site it names receives nothing' {
        $a = New-ReplicaAccount $Replica
        $null = New-ReplicaAccount $Other -Email $a.Email -Password $a.Password
        $file = Join-Path $TestDrive 'planted.session'
        New-LegacySession $a $file -SideBaseUri $Other.BaseUri -SideMode '666'
        $before = Get-Requests $Other

        $err = $null
        Connect-AlexaAccount -SessionPath $file -Password $a.SecurePassword -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionFileUnsafe,*'
        $err[0].Exception.Message | Should -Match 'does not record which account'
        $err[0].Exception.Message | Should -Match 'can be read by other users'

        # No session file yet: the side file is not read, and the new file replaces it.
        $fresh = Join-Path $TestDrive 'fresh-planted.session'
        [IO.File]::WriteAllText("$fresh.account", (@{ Account = $a.Email; Marketplace = 'amazon.de'; BaseUri = $Other.BaseUri } | ConvertTo-Json -Compress))
        & chmod 666 "$fresh.account"
        $session = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -SessionPath $fresh -BaseUri $Base -ErrorAction Stop
        $session.Marketplace | Should -Be 'amazon.com'
        Disconnect-AlexaAccount -Session $session
        Test-Path "$fresh.account" | Should -BeFalse

        # A file that records its account: a side file planted beside it is never read, and is removed.
        [IO.File]::WriteAllText("$fresh.account", (@{ Account = $a.Email; BaseUri = $Other.BaseUri } | ConvertTo-Json -Compress))
        & chmod 666 "$fresh.account"
        $session = Connect-AlexaAccount -SessionPath $fresh -BaseUri $Base -ErrorAction Stop
        $session.BaseUri | Should -Be ([uri]$Base)
        Disconnect-AlexaAccount -Session $session
        Test-Path "$fresh.account" | Should -BeFalse

        Get-Requests $Other | Should -Be $before
        $signIns = Invoke-ReplicaAdmin $Other -Path "/__replica/accounts/$([uri]::EscapeDataString($a.Email))/sign-ins"
        $signIns.signIns | Should -Be 0
        $signIns.passwordsReceived | Should -Be 0
    }

    It 'refuses a link at the side file''s name without following it' {
        $a = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive 'linked.session'
        New-LegacySession $a $file
        $target = Join-Path $TestDrive 'elsewhere.account'
        [IO.File]::WriteAllText($target, (@{ Account = $a.Email; Marketplace = 'amazon.com'; BaseUri = $Other.BaseUri } | ConvertTo-Json -Compress))
        & chmod 600 $target
        Remove-Item "$file.account" -ErrorAction Ignore
        $null = New-Item -ItemType SymbolicLink -Path "$file.account" -Target $target
        $before = Get-Requests $Other
        $err = $null
        Connect-AlexaAccount -SessionPath $file -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionFileUnsafe,*'
        $err[0].Exception.Message | Should -Match 'is a link'
        Get-Requests $Other | Should -Be $before
        Test-Path $target | Should -BeTrue
    }

    It 'refuses a FIFO at the <Which> name at once instead of waiting on it' -ForEach @(
        @{ Which = 'side file''s'; Side = $true }
        @{ Which = 'session file''s'; Side = $false }
    ) {
        $file = Join-Path $TestDrive "fifo-$([guid]::NewGuid().ToString('N').Substring(0, 6)).session"
        if ($Side) {
            [IO.File]::WriteAllText($file, '{"cookies":[],"origins":[]}')
            & chmod 600 $file
            & mkfifo -m 600 "$file.account"
            $fifo = "$file.account"
        }
        else {
            & mkfifo -m 600 $file
            $fifo = $file
        }
        $run = Invoke-Bounded -Command 'Connect-AlexaAccount -Email fifo@example.com -SessionPath $A.Path -BaseUri $A.Base' -Arguments @{ Path = $file; Base = $Base } -Seconds 60 -Fifo $fifo
        $run.Finished | Should -BeTrue -Because 'a FIFO is refused, not read'
        $run.Result.Out | Should -BeNullOrEmpty
        $run.Result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionFileUnsafe,*'
        $run.Result.Errors[0].Exception.Message | Should -Match 'not a regular file'
    }

    It 'offers saved sessions, not side files, when completing -SessionPath' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'complete')
        $null = New-Item -ItemType File (Join-Path $folder 'ann.session'), (Join-Path $folder 'ann.session.account')
        foreach ($command in 'Connect-AlexaAccount', 'Set-AlexaDataSetting') {
            $line = "$command -SessionPath $(Join-Path $folder 'ann')"
            $texts = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            ($texts -match 'ann\.session$') | Should -Not -BeNullOrEmpty -Because "$command completes session files"
            ($texts -match '\.account') | Should -BeNullOrEmpty -Because "$command does not offer side files"
        }
    }
}
