# Export-AlexaVoiceHistory: what it returns, piped records with and without -Session, -NoClobber
# and -Force, owner-only files never written through a link, the earlier export kept whole when a
# run is stopped or cannot sign in, the CSV formula guard, and the one time format of views and files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Get-Mode { param([string] $Path) ([int][System.IO.File]::GetUnixFileMode($Path)) -band 0x1ff }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Export-AlexaVoiceHistory' {
    It 'returns the path, the format, the number of records and the accounts, and writes the file owner-only' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'all.json'
        $result = Export-AlexaVoiceHistory -Session $t.Session -Path $path
        $result.GetType().Name | Should -Be 'AlexaVoiceHistoryExport'
        $result.Path | Should -Be $path
        $result.Format | Should -Be 'Json'
        $result.Records | Should -Be 6
        $result.Accounts | Should -Be @($t.Email)
        @(Get-Content $path -Raw | ConvertFrom-Json).Count | Should -Be 6
        if (-not $IsWindows) { Get-Mode $path | Should -Be ([Convert]::ToInt32('600', 8)) }
        ($result | Format-Table | Out-String) | Should -Match "6 Json.*$([regex]::Escape($t.Email))"
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'writes the records piped in, with -Session given and without it' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $with = Join-Path $TestDrive 'with.csv'
        $without = Join-Path $TestDrive 'without.csv'
        $a = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Kitchen Echo' | Export-AlexaVoiceHistory -Session $t.Session -Path $with -ErrorAction Stop
        $b = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Kitchen Echo' | Export-AlexaVoiceHistory -Path $without -ErrorAction Stop
        $a.Records | Should -Be 3
        $b.Records | Should -Be 3
        @(Import-Csv $with).Transcript | Should -Be @('kitchen -1', 'kitchen -2', 'kitchen -3')
        (Get-Content $with -Raw) | Should -Be (Get-Content $without -Raw)
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'refuses piped records of another account than -Session with AlexaSessionMismatch' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $other = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'mismatch.csv'
        $result = Get-AlexaVoiceHistory -Session $t.Session -First 1 | Export-AlexaVoiceHistory -Session $other.Session -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionMismatch,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($t.Email))
        $result.Records | Should -Be 0
        @(Import-Csv $path).Count | Should -Be 0
        Disconnect-AlexaAccount -All
    }

    It 'replaces a file by default, refuses with -NoClobber (AlexaFileExists), and replaces a read-only one only with -Force' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'clobber.csv'
        Set-Content $path 'old'
        (Export-AlexaVoiceHistory -Session $t.Session -Path $path).Records | Should -Be 6
        Set-Content $path 'old'
        { Export-AlexaVoiceHistory -Session $t.Session -Path $path -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileExists,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        Get-Content $path | Should -Be 'old'
        Set-ItemProperty $path -Name IsReadOnly -Value $true
        { Export-AlexaVoiceHistory -Session $t.Session -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileExists,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        Get-Content $path | Should -Be 'old'
        (Export-AlexaVoiceHistory -Session $t.Session -Path $path -Force).Records | Should -Be 6
        @(Import-Csv $path).Count | Should -Be 6
        if (-not $IsWindows) { Get-Mode $path | Should -Be ([Convert]::ToInt32('600', 8)) }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'shows Time as ISO 8601 in the record view, as the export writes it' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $record = Get-AlexaVoiceHistory -Session $t.Session -First 1
        $iso = $record.Time.ToString('yyyy-MM-ddTHH:mm:sszzz', [cultureinfo]::InvariantCulture)
        ($record | Format-Table | Out-String -Width 120) | Should -Match ([regex]::Escape($iso))
        "$record" | Should -BeLike "$iso *"
        $path = Join-Path $TestDrive 'time.csv'
        $null = $record | Export-AlexaVoiceHistory -Path $path
        (Import-Csv $path).Time | Should -BeLike "$($iso.Substring(0, 19))*$($iso.Substring(19))"
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Export-AlexaVoiceHistory keeps the earlier file safe' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'refuses a link at -Path with AlexaFileUnsafe and leaves what it points at untouched: <Extension>' -Skip:$IsWindows -ForEach @(
        @{ Extension = 'csv' }
        @{ Extension = 'json' }
    ) {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $victim = Join-Path $TestDrive "victim-$Extension.txt"
        Set-Content $victim 'untouched'
        [System.IO.File]::SetUnixFileMode($victim, [System.IO.UnixFileMode]([Convert]::ToInt32('444', 8)))
        $link = Join-Path $TestDrive "linked.$Extension"
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        foreach ($force in $false, $true) {
            { Export-AlexaVoiceHistory -Session $t.Session -Path $link -Force:$force -ErrorAction Stop } |
                Should -Throw -ErrorId 'AlexaFileUnsafe,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        }
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
        Get-Mode $victim | Should -Be ([Convert]::ToInt32('444', 8))
        (Get-Item $link).LinkTarget | Should -Be $victim
        @(Get-ChildItem $TestDrive -Filter '*.tmp' -Force).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'keeps the earlier export whole when the sign-in fails: <Extension>' -ForEach @(
        @{ Extension = 'csv' }
        @{ Extension = 'json' }
    ) {
        $a = New-ReplicaAccount $Replica
        $folder = Join-Path $TestDrive "failed-$Extension"
        $null = New-Item -ItemType Directory $folder
        $path = Join-Path $folder "history.$Extension"
        Set-Content $path 'the earlier export'
        $err = $null; $warnings = $null
        $out = Export-AlexaVoiceHistory -Email $a.Email -Password (ConvertTo-TestSecureString 'not-the-password') -BaseUri $Base -Path $path -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed,*'
        $warnings | Should -Match 'left as it was'
        Get-Content $path -Raw | Should -Be "the earlier export$([Environment]::NewLine)"
        @(Get-ChildItem $folder -Force).Name | Should -Be "history.$Extension"
    }

    It 'keeps the earlier export whole when the run is stopped (Ctrl+C) in the middle: <Extension>' -ForEach @(
        @{ Extension = 'csv' }
        @{ Extension = 'json' }
    ) {
        $t = New-ReplicaAccount $Replica
        $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$([uri]::EscapeDataString($t.Email))/records" -Body @{ generate = @{ count = 1000; days = 60; seed = 7 } }
        $folder = Join-Path $TestDrive "stopped-$Extension"
        $null = New-Item -ItemType Directory $folder
        $path = Join-Path $folder "history.$Extension"
        Set-Content $path 'the earlier export'
        # Each page of 50 records takes 1.5-2 s, 20 pages in all: the export is streaming when it is stopped.
        Set-ReplicaFault $Replica @{ latencyMs = @(1500, 2000) }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Email, $Password, $Base, $Path)
                    Import-Module $ModulePath
                    Export-AlexaVoiceHistory -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base -Path $Path -Verbose
                }).AddArgument($ModulePath).AddArgument($t.Email).AddArgument($t.Password).AddArgument($Base).AddArgument($path)
            $async = $ps.BeginInvoke()
            # Wait (bounded) until it signed in, then let it read a page or two.
            $deadline = [datetime]::UtcNow.AddSeconds(90)
            while ([datetime]::UtcNow -lt $deadline -and -not $async.IsCompleted -and (Get-ReplicaAccount $Replica $t.Email).signInCount -lt 1) {
                Start-Sleep -Milliseconds 100
            }
            (Get-ReplicaAccount $Replica $t.Email).signInCount | Should -Be 1 -Because 'the export must have signed in within 90 s'
            Start-Sleep -Seconds 4
            $async.IsCompleted | Should -BeFalse
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        Get-Content $path -Raw | Should -Be "the earlier export$([Environment]::NewLine)"
        @(Get-ChildItem $folder -Force).Name | Should -Be "history.$Extension"
    }

    It 'writes a value that a spreadsheet would run after blanks or in full-width signs as text' {
        $values = @(' =1+2', "`n@SUM(A1)", "`r`n+1", " `t-2", ([string][char]0xFF1D + 'HYPERLINK("x")'), ([string][char]0xFF0B + '1'), ([string][char]0xFF0D + '1'), ([string][char]0xFF20 + 'home'), 'what time is it', ' e-mail me')
        $values.Count | Should -Be 10
        $values[4].Length | Should -Be 15
        $i = 0
        $records = foreach ($value in $values) {
            [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = [DateTimeOffset]::Now.AddMinutes(- ++$i); Device = 'Kitchen Echo'; Transcript = $value; Key = "key-$i" }
        }
        $path = Join-Path $TestDrive 'formulas.csv'
        ($records | Export-AlexaVoiceHistory -Path $path).Records | Should -Be $values.Count
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be $values.Count
        for ($j = 0; $j -lt 8; $j++) { $rows[$j].Transcript | Should -BeExactly ("'" + $values[$j]) }
        $rows[8].Transcript | Should -BeExactly 'what time is it'
        $rows[9].Transcript | Should -BeExactly ' e-mail me'
    }
}
