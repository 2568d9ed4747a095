# Export-AlexaPrivacyReport: one self-contained HTML file read in real headless Chromium (its DOM,
# its layout at 1280 px and a screenshot kept in out/), every account given (compliant, not
# compliant with why, failed with its error), every value escaped, deserialized input, what
# changed since an earlier report, and both files owner-only and never written through a link.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:OutDir = Join-Path $PSScriptRoot '../../out'
    $script:Chromium = @('/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser') | Where-Object { Test-Path $_ } | Select-Object -First 1

    # Runs headless Chromium on the file with a bounded wait; returns its standard output.
    function Invoke-Chromium {
        param([string[]] $Arguments)
        $info = [System.Diagnostics.ProcessStartInfo]::new($Chromium)
        foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', "--user-data-dir=$(Join-Path $TestDrive "profile-$([guid]::NewGuid().ToString('N'))")") + $Arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'Chromium did not finish within 120 s.' }
        $stdout.Result
    }
    function Get-Dom {
        param([string] $Path)
        $html = Invoke-Chromium @('--dump-dom', ([System.Uri]::new($Path)).AbsoluteUri)
        $html | Should -Match '</html>'
        # The DOM as Chromium built and serialized it, made well-formed (void elements closed) for XPath queries.
        $xml = $html -replace '<!DOCTYPE html>', '' -replace '&nbsp;', '&#160;' -replace '<(meta|br|hr|img|input|link|wbr)\b([^>]*?)/?>', '<$1$2/>'
        ,([xml]$xml)
    }

    # The report's layout in Chromium at 1280 x 900 CSS px: the page's own markup, with a measuring
    # script added (the report itself allows none) that writes what it finds into the DOM.
    function Measure-Layout {
        param([string] $Path)
        $probe = Join-Path $TestDrive "layout-$([guid]::NewGuid().ToString('N')).html"
        $measure = @'
<script>
const vw = document.documentElement.clientWidth;
const boxes = [...document.querySelectorAll('table, figure, .tiles, section, header, footer')].map(e => {
  const box = e.closest('.box') || e;
  const r = box.getBoundingClientRect();
  return { what: e.id || e.tagName.toLowerCase(), left: r.left, right: r.right, overflow: box.scrollWidth - box.clientWidth,
           cells: [...e.querySelectorAll('th, td')].filter(c => c.getBoundingClientRect().right > r.right + 1).length };
});
const out = document.createElement('pre');
out.id = 'layout';
out.textContent = JSON.stringify({ innerWidth: window.innerWidth, clientWidth: vw, scrollWidth: document.documentElement.scrollWidth, boxes });
document.body.appendChild(out);
</script>
'@
        $html = (Get-Content -LiteralPath $Path -Raw) -replace '<meta http-equiv="Content-Security-Policy"[^>]*>', '' -replace '</body>', "$measure</body>"
        Set-Content -LiteralPath $probe -Value $html -Encoding utf8NoBOM
        $dom = Invoke-Chromium @('--window-size=1280,900', '--hide-scrollbars', '--dump-dom', ([System.Uri]::new($probe)).AbsoluteUri)
        $dom | Should -Match '<pre id="layout">'
        [System.Net.WebUtility]::HtmlDecode(([regex]::Match($dom, '<pre id="layout">(.*?)</pre>', 'Singleline')).Groups[1].Value) | ConvertFrom-Json
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Export-AlexaPrivacyReport' {
    It 'shows every account: compliant, not compliant with why, failed with its error id; in Amazon''s words; a chart per account; escaped values' {
        $Chromium | Should -Not -BeNullOrEmpty
        $evil = '<img src=x onerror="document.title=''pwned''">Den & "Kids"'
        $policy = @{ VoiceRecordingReview = 'Off'; MessageTranscription = 'Off'; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths'; DeleteRecordingsOlderThan = 30 }
        $compliantSettings = @{ VoiceRecordingReview = $false; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'ThreeMonths' }
        $good = New-ReplicaAccount $Replica -Email (New-TestEmail 'cabin') -Settings $compliantSettings
        $many = New-ReplicaAccount $Replica -Email (New-TestEmail 'chalet') -Settings $compliantSettings
        $bad = New-ReplicaAccount $Replica -Email (New-TestEmail 'condo') -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'UntilDeleted' }
        Add-Records $good.Email @(
            @{ timestamp = (Get-Ms -1 9); device = 'Kitchen Echo'; transcript = 'one' }
            @{ timestamp = (Get-Ms -8 9); device = 'Kitchen Echo'; transcript = 'two' }
            @{ timestamp = (Get-Ms -8 10); device = $evil; transcript = '<script>document.title="pwned"</script>' }
        )
        # The same device name in another account: its own series, never added to the first account's.
        Add-Records $bad.Email @(
            @{ timestamp = (Get-Ms -2 9); device = 'Kitchen Echo'; transcript = 'three' }
            @{ timestamp = (Get-Ms -40 9); device = 'Kitchen Echo'; transcript = 'too old' }
        )
        # Ten devices in one account: with the two accounts above, 13 series, each its own colour.
        Add-Records $many.Email @(foreach ($i in 1..10) { @{ timestamp = (Get-Ms (-$i) 12); device = "Room $i"; transcript = "room $i" } })
        $missing = [pscustomobject]@{ Email = (New-TestEmail 'loft'); SessionPath = (Join-Path $TestDrive 'loft-missing.session'); Marketplace = 'amazon.com' }
        $rows = @($good, $bad, $many | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } }) + $missing
        $failures = $null
        $results = $rows | Test-AlexaPrivacyPolicy -Policy $policy -BaseUri $Base -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 3
        @($failures).Count | Should -Be 1
        $failedId = ($failures[0].FullyQualifiedErrorId -split ',')[0]
        $failedId | Should -BeLike 'Alexa*'
        $records = foreach ($a in $good, $bad, $many) { Get-AlexaVoiceHistory -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -After (Get-Date).AddDays(-60) }
        @($records).Count | Should -Be 15

        $path = Join-Path $TestDrive 'report.html'
        $json = Join-Path $TestDrive 'report.json'
        $all = @($results) + @($failures) + @($records)
        $summary = $all | Export-AlexaPrivacyReport -Path $path -JsonPath $json -Title 'Holiday rentals' -PassThru
        $summary.Accounts | Should -Be 4
        $summary.Compliant | Should -Be 2
        $summary.NotCompliant | Should -Be 1
        $summary.Failed | Should -Be 1
        $summary.FailedAccounts | Should -Be @($missing.Email)
        $summary.JsonPath | Should -Be $json
        $text = Get-Content $path -Raw
        # Self-contained: nothing to fetch, no script at all.
        $text | Should -Not -Match '<(script|link|img|iframe|object|embed)\b|@import|url\(|https?://'
        # Plain durations and Amazon's labels, never a TimeSpan or an internal name as text.
        $text | Should -Not -Match '>[^<]*\d+\.\d\d:\d\d:\d\d'
        $text | Should -Not -Match '>[^<]*(VoiceRecordingReview|VoiceRecordingRetention|UntilDeleted|ThreeMonths)'

        $doc = Get-Dom $path
        $doc.SelectSingleNode('//title').InnerText | Should -Be 'Holiday rentals'
        $doc.SelectSingleNode("//*[@id='accounts-count']").InnerText | Should -Be '4'
        $doc.SelectSingleNode("//*[@id='compliant-count']").InnerText | Should -Be '2'
        $doc.SelectSingleNode("//*[@id='noncompliant-count']").InnerText | Should -Be '1'
        $doc.SelectSingleNode("//*[@id='failed-count']").InnerText | Should -Be '1'
        @($doc.SelectNodes("//table[@id='accounts']/tbody/tr")).Count | Should -Be 4
        $doc.SelectSingleNode("//table[@id='accounts']//th[@data-setting='VoiceRecordingReview']").InnerText | Should -Be 'Use of Voice Recordings'
        $doc.SelectSingleNode("//table[@id='accounts']//th[@data-setting='VoiceRecordingRetention']").InnerText | Should -Be 'Choose how long to save recordings'
        # The failed account: a row of its own, with its error id and message.
        $failedRow = $doc.SelectSingleNode("//table[@id='accounts']//tr[@data-account='$($missing.Email)']")
        $failedRow.GetAttribute('data-status') | Should -Be 'failed'
        $failedRow.SelectSingleNode("td[contains(@class,'status')]").InnerText | Should -Be 'Failed'
        $errorNode = $failedRow.SelectSingleNode(".//p[@class='error']")
        $errorNode.GetAttribute('data-error-id') | Should -Be $failedId
        $errorNode.InnerText | Should -Match ([regex]::Escape($failedId))
        $errorNode.InnerText | Should -Match 'loft-missing\.session'
        # The account that is not compliant says why: each setting found and wanted, and the recordings too old.
        $badRow = $doc.SelectSingleNode("//table[@id='accounts']//tr[@data-account='$($bad.Email)']")
        $badRow.GetAttribute('data-status') | Should -Be 'not-compliant'
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingReview']").InnerText | Should -Be 'On'
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingReview']").GetAttribute('class') | Should -Be 'bad'
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingRetention']").InnerText | Should -Be 'Save recordings until I delete them'
        $badRow.SelectSingleNode("td[@data-setting='DeleteRecordingsOlderThan']").InnerText | Should -Be '1'
        $why = @($badRow.SelectNodes(".//p[@class='why']") | ForEach-Object InnerText)
        $why | Should -Contain 'Use of Voice Recordings: On, wanted Off'
        $why | Should -Contain 'Choose how long to save recordings: Save recordings until I delete them, wanted Save recordings for 3 months'
        # Which recordings: by device, with the oldest one's time, from the voice records given.
        $oldest = [DateTimeOffset]::FromUnixTimeMilliseconds((Get-Ms -40 9)).ToLocalTime().ToString('yyyy-MM-dd HH:mm')
        $why | Where-Object { $_ -match ('^1 recording older than 30 days \(before \d{4}-\d\d-\d\d \d\d:\d\d\) still kept: Kitchen Echo 1, the oldest from ' + [regex]::Escape($oldest) + '$') } | Should -Not -BeNullOrEmpty
        $goodRow = $doc.SelectSingleNode("//table[@id='accounts']//tr[@data-account='$($good.Email)']")
        $goodRow.GetAttribute('data-status') | Should -Be 'compliant'
        $goodRow.SelectSingleNode("td[@data-setting='VoiceRecordingRetention']").GetAttribute('class') | Should -Be 'ok'
        # The chart: one per account, bars per device and week with the counts Amazon holds; the two
        # Kitchen Echos stay apart, and every series has a colour of its own.
        @($doc.SelectNodes("//section[@id='chart']//figure")).Count | Should -Be 3
        $bars = @($doc.SelectNodes("//*[local-name()='rect'][@class='bar']"))
        ($bars | Measure-Object { [int]$_.GetAttribute('data-count') } -Sum).Sum | Should -Be 15
        $kitchen = { param($account) ($bars | Where-Object { $_.GetAttribute('data-account') -eq $account -and $_.GetAttribute('data-device') -eq 'Kitchen Echo' } | Measure-Object { [int]$_.GetAttribute('data-count') } -Sum).Sum }
        & $kitchen $good.Email | Should -Be 2
        & $kitchen $bad.Email | Should -Be 2
        ($bars | Where-Object { $_.GetAttribute('data-account') -eq $good.Email } | ForEach-Object { $_.GetAttribute('data-device') } | Sort-Object -Unique) | Should -Be (@('Kitchen Echo', $evil) | Sort-Object)
        $swatches = @($doc.SelectNodes("//ul[@class='legend']/li/span[@class='swatch']") | ForEach-Object GetAttribute style)
        $swatches.Count | Should -Be 13
        @($swatches | Sort-Object -Unique).Count | Should -Be 13
        # Escaped: the device name is text, not an element, and no script ran.
        @($doc.SelectNodes('//img')).Count | Should -Be 0
        @($doc.SelectNodes('//script')).Count | Should -Be 0
        $doc.SelectSingleNode("//figure[@data-account='$($good.Email)']//ul[@class='legend']").InnerText | Should -Match ([regex]::Escape($evil))

        # The JSON snapshot names the failed account with its error too.
        $snapshot = Get-Content $json -Raw | ConvertFrom-Json
        @($snapshot.accounts).Count | Should -Be 4
        $failedAccount = $snapshot.accounts | Where-Object account -eq $missing.Email
        $failedAccount.status | Should -Be 'Failed'
        $failedAccount.errors[0].errorId | Should -Be $failedId

        # At 1280 px nothing is cut: no page-wide scrolling, and every table, chart and tile row fits inside the page.
        $layout = Measure-Layout $path
        $layout.innerWidth | Should -Be 1280
        $layout.scrollWidth | Should -BeLessOrEqual $layout.clientWidth
        @($layout.boxes).Count | Should -BeGreaterThan 5
        foreach ($box in $layout.boxes) {
            $box.right | Should -BeLessOrEqual $layout.clientWidth -Because "$($box.what) must fit the page"
            $box.left | Should -BeGreaterOrEqual 0 -Because "$($box.what) must fit the page"
            $box.overflow | Should -BeLessOrEqual 0 -Because "$($box.what) must show all its columns at 1280 px"
            $box.cells | Should -Be 0 -Because "no cell of $($box.what) may stick out of it"
        }

        $null = New-Item -ItemType Directory -Force -Path $OutDir
        $shot = Join-Path $OutDir 'report.png'
        Remove-Item $shot -ErrorAction SilentlyContinue
        $null = Invoke-Chromium @("--screenshot=$shot", '--window-size=1280,1500', '--hide-scrollbars', ([System.Uri]::new($path)).AbsoluteUri)
        Test-Path $shot | Should -BeTrue
        (Get-Item $shot).Length | Should -BeGreaterThan 10000

        # The same objects deserialized (as from remoting or Import-Clixml) make the same report.
        $clixml = Join-Path $TestDrive 'run.clixml'
        $all | Export-Clixml -Path $clixml -Depth 4
        $imported = Import-Clixml -Path $clixml
        @($imported | Where-Object { $_.PSObject.TypeNames -contains 'Deserialized.AlexaPrivacy.AlexaPolicyResult' }).Count | Should -Be 3
        $path3 = Join-Path $TestDrive 'report-deserialized.html'
        $json3 = Join-Path $TestDrive 'report-deserialized.json'
        $summary3 = $imported | Export-AlexaPrivacyReport -Path $path3 -JsonPath $json3 -PassThru
        $summary3.Accounts | Should -Be 4
        $summary3.Compliant | Should -Be 2
        $summary3.NotCompliant | Should -Be 1
        $summary3.Failed | Should -Be 1
        $snapshot3 = Get-Content $json3 -Raw | ConvertFrom-Json
        foreach ($account in $snapshot.accounts) {
            $same = $snapshot3.accounts | Where-Object account -eq $account.account
            $same.status | Should -Be $account.status
            ($same.settings | ConvertTo-Json -Compress) | Should -Be ($account.settings | ConvertTo-Json -Compress)
            $same.differences | Should -Be $account.differences
            $same.recordingsOlderThanCutoff | Should -Be $account.recordingsOlderThanCutoff
        }
        $doc3 = Get-Dom $path3
        ($doc3.SelectNodes("//*[local-name()='rect'][@class='bar']") | Measure-Object { [int]$_.GetAttribute('data-count') } -Sum).Sum | Should -Be 15
        $doc3.SelectSingleNode("//tr[@data-account='$($missing.Email)']//p[@class='error']").GetAttribute('data-error-id') | Should -Be $failedId

        # A second report after the drifted account was fixed shows what changed since, in Amazon's words.
        Set-AlexaPrivacyPolicy -Policy $policy -Email $bad.Email -Password $bad.SecurePassword -BaseUri $Base -Force | Out-Null
        $results2 = $rows | Select-Object -First 3 | Test-AlexaPrivacyPolicy -Policy $policy -BaseUri $Base -WarningAction SilentlyContinue
        $path2 = Join-Path $TestDrive 'report2.html'
        $summary2 = $results2 | Export-AlexaPrivacyReport -Path $path2 -Previous $json -PassThru
        $summary2.Compliant | Should -Be 3
        $summary2.Failed | Should -Be 0
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): now compliant (was not compliant)."
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): Use of Voice Recordings On -> Off."
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): Choose how long to save recordings Save recordings until I delete them -> Save recordings for 3 months."
        $summary2.ChangesSincePrevious | Should -Contain "$($missing.Email): not in this report (it was in the earlier one)."
        $doc2 = Get-Dom $path2
        $since = @($doc2.SelectNodes("//section[@id='since']//li") | ForEach-Object InnerText)
        $since | Should -Contain "$($bad.Email): now compliant (was not compliant)."
        $null = Invoke-Chromium @("--screenshot=$(Join-Path $OutDir 'report-since.png')", '--window-size=1280,1000', '--hide-scrollbars', ([System.Uri]::new($path2)).AbsoluteUri)
    }

    It 'refuses objects it does not know, and a -Previous that is not a report' {
        $path = Join-Path $TestDrive 'odd.html'
        $errors = $null
        Get-Date | Export-AlexaPrivacyReport -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput*'
        Test-Path $path | Should -BeTrue
        $notJson = Join-Path $TestDrive 'not.json'
        Set-Content $notJson 'hello'
        { Get-Date | Export-AlexaPrivacyReport -Path $path -Previous $notJson -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'AlexaInvalidInput,AlexaPrivacy.Commands.ExportAlexaPrivacyReportCommand'
    }

    It 'writes the report and its JSON owner-only (0600), replacing earlier ones whole' -Skip:$IsWindows {
        $record = [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = [DateTimeOffset]::Now.AddDays(-1); Device = 'Kitchen Echo'; Transcript = 'one'; Key = 'k1' }
        $folder = Join-Path $TestDrive 'modes'
        $null = New-Item -ItemType Directory $folder
        $path = Join-Path $folder 'report.html'
        $json = Join-Path $folder 'report.json'
        foreach ($file in $path, $json) {
            Set-Content $file 'earlier'
            [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]([Convert]::ToInt32('644', 8)))
        }
        $record | Export-AlexaPrivacyReport -Path $path -JsonPath $json
        foreach ($file in $path, $json) { ([int][System.IO.File]::GetUnixFileMode($file)) -band 0x1ff | Should -Be ([Convert]::ToInt32('600', 8)) }
        Get-Content $path -Raw | Should -Match '</html>'
        (Get-Content $json -Raw | ConvertFrom-Json).generated | Should -Not -BeNullOrEmpty
        @(Get-ChildItem $folder -Force).Name | Sort-Object | Should -Be @('report.html', 'report.json')
    }

    It 'refuses a link at -Path or -JsonPath with AlexaFileUnsafe and leaves what it points at untouched: <Which>' -Skip:$IsWindows -ForEach @(
        @{ Which = 'Path' }
        @{ Which = 'JsonPath' }
    ) {
        $record = [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = [DateTimeOffset]::Now.AddDays(-1); Device = 'Kitchen Echo'; Transcript = 'one'; Key = 'k1' }
        $folder = Join-Path $TestDrive "link-$Which"
        $null = New-Item -ItemType Directory $folder
        $victim = Join-Path $folder 'victim.txt'
        Set-Content $victim 'untouched'
        $link = Join-Path $folder 'linked'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        $path = Join-Path $folder 'report.html'
        $json = Join-Path $folder 'report.json'
        Set-Content $path 'earlier report'
        $arguments = @{ Path = $path; JsonPath = $json }
        $arguments[$Which] = $link
        $err = { $record | Export-AlexaPrivacyReport @arguments -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileUnsafe,AlexaPrivacy.Commands.ExportAlexaPrivacyReportCommand' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape($link))
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
        (Get-Item $link).LinkTarget | Should -Be $victim
        # Nothing was written: the earlier report stays too when the JSON's path is the link.
        if ($Which -eq 'JsonPath') { Get-Content $path -Raw | Should -Be "earlier report$([Environment]::NewLine)" }
        @(Get-ChildItem $folder -Force -Filter '*.tmp').Count | Should -Be 0
    }
}
