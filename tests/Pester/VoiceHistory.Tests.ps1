# Get-, Export- and Remove-AlexaVoiceHistory against the replica: what is listed is what Amazon
# keeps, exports are safe to open in a spreadsheet, and deletions remove exactly what was asked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    . (Join-Path $PSScriptRoot 'AnsweringHost.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri




    # Five days of history on two devices, three records a day each.
    function New-WeekOfRecords {
        foreach ($day in -5..-1) {
            foreach ($hour in 8, 13, 20) {
                @{ timestamp = (Get-Ms $day $hour); device = 'Kitchen Echo'; transcript = "kitchen $day $hour"; response = 'Okay.' }
                @{ timestamp = (Get-Ms $day ($hour + 0.5)); device = 'Bedroom Echo Dot'; transcript = "bedroom $day $hour" }
            }
        }
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Get-AlexaVoiceHistory' {
    It 'lists every record newest first with time, device, transcript, response and key' {
        $t = Connect-Seeded -Records @(
            @{ timestamp = (Get-Ms -2 9); device = 'Kitchen Echo'; transcript = 'set a timer for ten minutes'; response = 'Ten minutes, starting now.' }
            @{ timestamp = (Get-Ms -1 9); device = 'Bedroom Echo Dot'; type = 'ASR_REPLACEMENT_TEXT'; transcript = 'Audio was not intended for Alexa' }
            @{ timestamp = (Get-Ms -3 9); device = 'Kitchen Echo'; transcript = 'what time is it' }
        )
        $records = @(Get-AlexaVoiceHistory -Session $t.Session)
        $stored = @(Get-StoredRecords $t.Email)
        $records.Count | Should -Be 3
        $records.Key | Should -Be @($stored | Sort-Object timestamp -Descending | ForEach-Object key)
        $records[0].Device | Should -Be 'Bedroom Echo Dot'
        $records[0].Type | Should -Be 'ASR_REPLACEMENT_TEXT'
        $records[0].Transcript | Should -Be 'Audio was not intended for Alexa'
        $records[1].Transcript | Should -Be 'set a timer for ten minutes'
        $records[1].Response | Should -Be 'Ten minutes, starting now.'
        $records[1].Type | Should -Be 'CUSTOMER_TRANSCRIPT'
        $records[1].Time | Should -BeOfType [DateTimeOffset]
        $records[1].Time.ToUnixTimeMilliseconds() | Should -Be (Get-Ms -2 9)
        $records[2].Response | Should -BeNullOrEmpty
        $records | ForEach-Object { $_.Account | Should -Be $t.Email }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'pages over 1,000 records and returns each exactly once' {
        $t = Connect-Seeded -Generate @{ count = 1000; days = 30; devices = @('Kitchen Echo', 'Bedroom Echo Dot', 'Office Echo Show'); seed = 7 }
        $records = @(Get-AlexaVoiceHistory -Session $t.Session)
        $stored = @(Get-StoredRecords $t.Email)
        $stored.Count | Should -Be 1000
        $records.Count | Should -Be 1000
        @($records.Key | Sort-Object -Unique).Count | Should -Be 1000
        @(Compare-Object ($records.Key) ($stored.key)).Count | Should -Be 0
        $times = $records | ForEach-Object { $_.Time.ToUnixTimeMilliseconds() }
        for ($i = 1; $i -lt $times.Count; $i++) { $times[$i] | Should -BeLessOrEqual $times[$i - 1] }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'filters by -After, -Before, -Device and -Contains, and stops after -First' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $kitchen = @(Get-AlexaVoiceHistory -Session $t.Session -After $Midnight.AddDays(-3).DateTime -Before $Midnight.AddDays(-1).DateTime -Device 'kitchen echo')
        $kitchen.Count | Should -Be 6
        $kitchen | ForEach-Object { $_.Device | Should -Be 'Kitchen Echo'; $_.Transcript | Should -Match '^kitchen -(3|2) ' }
        @(Get-AlexaVoiceHistory -Session $t.Session -Contains 'BEDROOM -4').Count | Should -Be 3
        $first = @(Get-AlexaVoiceHistory -Session $t.Session -First 4)
        $first.Count | Should -Be 4
        $first[0].Transcript | Should -Be 'bedroom -1 20'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'signs in itself for account rows and reports a bad row without stopping the others' {
        $good = New-ReplicaAccount $Replica
        Add-Records $good.Email @(@{ timestamp = (Get-Ms -1 10); device = 'Kitchen Echo'; transcript = 'good morning' })
        $rows = @(
            [pscustomobject]@{ Email = 'nobody-here@example.com'; Password = 'wrong' }
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
        )
        $records = @($rows | Get-AlexaVoiceHistory -BaseUri $Base -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $records.Count | Should -Be 1
        $records[0].Transcript | Should -Be 'good morning'
        $records[0].Account | Should -Be $good.Email
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed,*'
        $failures[0].TargetObject.Email | Should -Be 'nobody-here@example.com'
        $failures[0].TargetObject.Password | Should -Be '(secret)'
    }

    It 'refuses -After later than -Before with AlexaInvalidInput' {
        { Get-AlexaVoiceHistory -After (Get-Date) -Before (Get-Date).AddDays(-1) -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaInvalidInput,AlexaPrivacy.Commands.GetAlexaVoiceHistoryCommand'
    }
}

Describe 'Export-AlexaVoiceHistory' {
    It 'writes a CSV that round-trips through Import-Csv and cannot run formulas in a spreadsheet' {
        $t = Connect-Seeded -Records @(
            @{ timestamp = (Get-Ms -1 9); device = 'Kitchen Echo'; transcript = "=what's seven times eight"; response = 'Seven times eight is fifty-six.' }
            @{ timestamp = (Get-Ms -1 10); device = 'Kitchen Echo'; transcript = '+1 to my shopping list' }
            @{ timestamp = (Get-Ms -1 11); device = 'Kitchen Echo'; transcript = '-5 degrees is how much in fahrenheit' }
            @{ timestamp = (Get-Ms -1 12); device = 'Office, upstairs'; transcript = '@home turn everything off'; response = '=HYPERLINK("http://example.com")' }
            @{ timestamp = (Get-Ms -1 13); device = 'Kitchen Echo'; transcript = 'play "Blue in Green", please' }
        )
        $path = Join-Path $TestDrive 'history.csv'
        $file = Export-AlexaVoiceHistory -Session $t.Session -Path $path
        $file.Path | Should -Be $path
        $rows = @(Import-Csv $path)
        $records = @(Get-AlexaVoiceHistory -Session $t.Session)
        $rows.Count | Should -Be 5
        $rows.Key | Should -Be $records.Key
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $row = $rows[$i]; $record = $records[$i]
            $row.Account | Should -Be $record.Account
            $row.Device | Should -Be $record.Device
            [DateTimeOffset]::Parse($row.Time).ToUnixTimeMilliseconds() | Should -Be $record.Time.ToUnixTimeMilliseconds()
            foreach ($name in 'Transcript', 'Response') {
                $value = [string] $record.$name
                if ($value -match '^[=+\-@]') { $row.$name | Should -Be ("'" + $value) } else { $row.$name | Should -Be $value }
                $row.$name | Should -Not -Match '^[=+\-@\t\r]'
            }
        }
        ($rows | Where-Object Transcript -Like '*Blue in Green*').Transcript | Should -Be 'play "Blue in Green", please'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'writes plain JSON with the same filters as Get-AlexaVoiceHistory' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $path = Join-Path $TestDrive 'history.json'
        $null = Export-AlexaVoiceHistory -Session $t.Session -Path $path -Device 'Bedroom Echo Dot' -After $Midnight.AddDays(-2).DateTime
        $items = @(Get-Content $path -Raw | ConvertFrom-Json -NoEnumerate | ForEach-Object { $_ })
        $items.Count | Should -Be 6
        $items.Key | Should -Be @(Get-AlexaVoiceHistory -Session $t.Session -Device 'Bedroom Echo Dot' -After $Midnight.AddDays(-2).DateTime).Key
        $items | ForEach-Object { $_.Device | Should -Be 'Bedroom Echo Dot' }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'refuses a path that is neither .csv nor .json' {
        { Export-AlexaVoiceHistory -Path (Join-Path $TestDrive 'history.txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaInvalidInput,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
    }
}

Describe 'Remove-AlexaVoiceHistory' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'deletes a range on one device through the page filters, exactly those records' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $before = @(Get-StoredRecords $t.Email)
        $after = $Midnight.AddDays(-4); $until = $Midnight.AddDays(-2)
        $expected = @($before | Where-Object { $_.device -eq 'Kitchen Echo' -and $_.timestamp -ge $after.ToUnixTimeMilliseconds() -and $_.timestamp -lt $until.ToUnixTimeMilliseconds() })
        $expected.Count | Should -Be 6
        $result = Remove-AlexaVoiceHistory -Session $t.Session -After $after.DateTime -Before $until.DateTime -Device 'Kitchen Echo' -Confirm:$false
        $result.Requested | Should -Be 6
        $result.Deleted | Should -Be 6
        $result.Remaining | Should -BeNullOrEmpty
        $result.Method | Should -Be 'Filter'
        $left = @(Get-StoredRecords $t.Email)
        $left.Count | Should -Be ($before.Count - 6)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'deletes record by record when the range does not start at midnight' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $before = @(Get-StoredRecords $t.Email)
        $from = $Midnight.AddDays(-2).AddHours(12)
        $expected = @($before | Where-Object { $_.timestamp -ge $from.ToUnixTimeMilliseconds() -and $_.timestamp -lt $Midnight.AddDays(-1).ToUnixTimeMilliseconds() })
        $expected.Count | Should -Be 4
        $result = Remove-AlexaVoiceHistory -Session $t.Session -After $from.DateTime -Before $Midnight.AddDays(-1).DateTime -Confirm:$false
        $result.Method | Should -Be 'PerRecord'
        $result.Deleted | Should -Be 4
        $left = @(Get-StoredRecords $t.Email)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'deletes the whole days of a range through the filters and the days it covers in part one by one' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $before = @(Get-StoredRecords $t.Email)
        # From noon five days ago to noon yesterday: three whole days between two half days.
        $from = $Midnight.AddDays(-5).AddHours(12); $until = $Midnight.AddDays(-1).AddHours(12)
        $expected = @($before | Where-Object { $_.timestamp -ge $from.ToUnixTimeMilliseconds() -and $_.timestamp -lt $until.ToUnixTimeMilliseconds() })
        $expected.Count | Should -Be 24
        $verbose = $null
        $result = Remove-AlexaVoiceHistory -Session $t.Session -After $from.DateTime -Before $until.DateTime -Confirm:$false -Verbose 4>&1 |
            Tee-Object -Variable verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.Method | Should -Be 'Filter'
        $result.Deleted | Should -Be 24
        $result.Remaining | Should -BeNullOrEmpty
        $left = @(Get-StoredRecords $t.Email)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0
        # The three whole days went through the filters; the two half days, six records, one by one.
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'show exactly the 18 record'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'removes nothing with -WhatIf' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $before = @(Get-StoredRecords $t.Email)
        $output = Remove-AlexaVoiceHistory -Session $t.Session -Device 'Kitchen Echo' -WhatIf
        $output | Should -BeNullOrEmpty
        $left = @(Get-StoredRecords $t.Email)
        $left.Count | Should -Be $before.Count
        @(Compare-Object ($left.key) ($before.key)).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'removes exactly a piped subset, each record with its own button, after a backup' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $before = @(Get-StoredRecords $t.Email)
        $backup = Join-Path $TestDrive 'backup.json'
        $result = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Transcript -Match ' 13$' |
            Remove-AlexaVoiceHistory -BackupPath $backup -Confirm:$false
        $expected = @($before | Where-Object transcript -Match ' 13$')
        $expected.Count | Should -Be 10
        $result.Method | Should -Be 'PerRecord'
        $result.Requested | Should -Be 10
        $result.Deleted | Should -Be 10
        $result.BackupPath | Should -Be $backup
        $left = @(Get-StoredRecords $t.Email)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0
        $saved = @(Get-Content $backup -Raw | ConvertFrom-Json -NoEnumerate | ForEach-Object { $_ })
        @(Compare-Object ($saved.Key) ($expected.key)).Count | Should -Be 0
        if (-not $IsWindows) { ([int][System.IO.File]::GetUnixFileMode($backup)) -band 0x1ff | Should -Be ([Convert]::ToInt32('600', 8)) }
        @(Get-ChildItem $TestDrive -Force -Filter '.backup.json*').Count | Should -Be 0 -Because 'no temporary file is left beside it'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'refuses a link at -BackupPath with AlexaFileUnsafe before anything is read or deleted' -Skip:$IsWindows {
        $victim = Join-Path $TestDrive 'backup-victim.txt'
        Set-Content $victim 'untouched'
        $link = Join-Path $TestDrive 'linked-backup.csv'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        $err = { Remove-AlexaVoiceHistory -Email 'nobody@example.com' -Password (ConvertTo-TestSecureString 'x') -BaseUri $Base -All -BackupPath $link -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileUnsafe,AlexaPrivacy.Commands.RemoveAlexaVoiceHistoryCommand' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape($link))
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
    }

    It 'says which records remain when Amazon does not delete them' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        Set-ReplicaFault $Replica @{ dropChanges = $true }
        $result = Remove-AlexaVoiceHistory -Session $t.Session -Device 'Bedroom Echo Dot' -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $expected = @(Get-StoredRecords $t.Email | Where-Object device -EQ 'Bedroom Echo Dot')
        $result.Deleted | Should -Be 0
        @(Compare-Object ($result.Remaining) ($expected.key)).Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'AlexaChangeNotPersisted,AlexaPrivacy.Commands.RemoveAlexaVoiceHistoryCommand'
        # A count in the message, the keys in Remaining, the page as it was, and advice for this cause (not "run it again").
        $failures[0].Exception.Message | Should -BeLike "$($expected.Count) of $($expected.Count) voice record(s) of $($t.Email) are still there*Remaining*"
        foreach ($k in $expected.key) { $failures[0].Exception.Message | Should -Not -BeLike "*$k*" }
        Test-Path $failures[0].Exception.ScreenshotPath | Should -BeTrue
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'still lists these records'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'takes no recording that arrives while it runs, though the range reaches now' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        # Today's own record is confirmed and deleted; the one Alexa makes while the prompt is open is not.
        Add-Records $t.Email @(@{ timestamp = [DateTimeOffset]::UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = 'earlier today' })
        $arrival = @{ records = @(@{ timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = 'arrived meanwhile' }) }
        $run = Invoke-WithAnswer -Answer 'Yes' -Arguments $t.Session, $Midnight.AddDays(-5).DateTime -PostUrl "$($Base)__replica/accounts/$([uri]::EscapeDataString($t.Email))/records" -PostBody $arrival -Script {
            param($Session, $After)
            Remove-AlexaVoiceHistory -Session $Session -After $After -Device 'Kitchen Echo'
        }
        $run.Prompts.Count | Should -Be 1
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Requested | Should -Be 16
        $run.Output[0].Deleted | Should -Be 16
        $run.Output[0].Method | Should -Be 'Filter'
        @(Get-StoredRecords $t.Email | Where-Object device -EQ 'Kitchen Echo').transcript | Should -Be @('arrived meanwhile')
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'keeps an earlier backup when the deletion is answered No' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $backup = Join-Path $TestDrive 'answered-no.json'
        '[{"Key":"kept"}]' | Set-Content $backup
        $run = Invoke-WithAnswer -Answer 'No' -Arguments $t.Session, $backup -Script {
            param($Session, $Backup)
            Remove-AlexaVoiceHistory -Session $Session -Device 'Kitchen Echo' -BackupPath $Backup
        }
        $run.Prompts.Count | Should -Be 1
        Get-Content $backup -Raw | Should -Match '"kept"'
        @(Get-StoredRecords $t.Email).Count | Should -Be 30
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'asks with No as the default and Yes to All offered: Enter alone deletes nothing' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $count = @(Get-StoredRecords $t.Email).Count
        $run = Invoke-WithAnswer -Answer 'Enter' -Arguments $t.Session -Script { param($Session) Remove-AlexaVoiceHistory -Session $Session -Device 'Kitchen Echo' }
        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0] | Should -Match 'gone for good'
        $run.Choices[0] | Should -Be 'Yes|Yes to All|*No|No to All|Suspend'
        @(Get-StoredRecords $t.Email).Count | Should -Be $count
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'keeps an earlier backup when nothing is deleted' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $backup = Join-Path $TestDrive 'earlier-backup.json'
        '[{"Key":"kept"}]' | Set-Content $backup
        $result = Remove-AlexaVoiceHistory -Session $t.Session -Device 'No Such Device' -BackupPath $backup -Confirm:$false
        $result.Requested | Should -Be 0
        Get-Content $backup -Raw | Should -Match '"kept"'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'asks for a range, records or -All instead of emptying the history' {
        { Remove-AlexaVoiceHistory -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaInvalidInput,AlexaPrivacy.Commands.RemoveAlexaVoiceHistoryCommand'
    }
}

Describe 'Set-AlexaDataSetting -Name VoiceRecordingRetention' {
    It 'confirms a shorter retention and Amazon deletes the recordings older than it' {
        $t = Connect-Seeded -Settings @{ VoiceRecordingRetention = 'UntilDeleted' } -Records @(
            @{ timestamp = $Midnight.AddDays(-200).ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = 'old one' }
            @{ timestamp = $Midnight.AddDays(-100).ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = 'old two' }
            @{ timestamp = $Midnight.AddDays(-10).ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = 'recent' }
        )
        $change = Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value ThreeMonths -Confirm:$false -PassThru
        $change.NewValue | Should -Be 'ThreeMonths'
        $change.Changed | Should -BeTrue
        (Get-ReplicaAccount $Replica $t.Email).settings.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        $left = @(Get-StoredRecords $t.Email)
        @($left).transcript | Should -Be @('recent')
        @(Get-AlexaVoiceHistory -Session $t.Session).Transcript | Should -Be @('recent')
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Select-Object -First' {
    BeforeAll {
        # Runs a script in its own runspace of this process, bounded: a hang fails the test instead of the run.
        function Invoke-Bounded {
            param([scriptblock] $Script, [object[]] $Arguments, [int] $Seconds = 120)
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'").AddStatement().AddScript($Script)
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $handle = $ps.BeginInvoke()
            $done = $handle.AsyncWaitHandle.WaitOne($Seconds * 1000)
            if (-not $done) { $null = $ps.BeginStop($null, $null); throw "The command did not return within $Seconds s." }
            $output = $ps.EndInvoke($handle)
            [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error) }
            $ps.Dispose()
        }
    }

    It 'returns at once from Get-AlexaVoiceHistory | Select-Object -First 3 | Remove-AlexaVoiceHistory -WhatIf' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-Bounded -Arguments $t.Session -Script {
            param($Session)
            Get-AlexaVoiceHistory -Session $Session | Select-Object -First 3 | Remove-AlexaVoiceHistory -WhatIf
            'returned'
        }
        $run.Output | Should -Contain 'returned'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 100
        @(Get-StoredRecords $t.Email).Count | Should -Be 30
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'releases the session at once, so the next command on it runs' {
        $t = Connect-Seeded -Records @(New-WeekOfRecords)
        $run = Invoke-Bounded -Arguments $t.Session -Script {
            param($Session)
            Get-AlexaVoiceHistory -Session $Session | Select-Object -First 3 | Out-Null
            @(Get-AlexaDataSetting -Session $Session).Count
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[-1] | Should -BeGreaterThan 2
        # And piped records still delete in a pipeline that Select-Object -First cut short.
        $deleted = Get-AlexaVoiceHistory -Session $t.Session | Select-Object -First 2 | Remove-AlexaVoiceHistory -Confirm:$false
        $deleted.Deleted | Should -Be 2
        @(Get-StoredRecords $t.Email).Count | Should -Be 28
        Disconnect-AlexaAccount -Session $t.Session
    }
}
